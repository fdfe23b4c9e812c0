import type { AuthInfo } from '../kernel/auth-info.js';
import type { Engine } from '../engine/create-engine.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import type { Operation } from '../openapi/model.js';
import { decideRoute } from '../engine/decide-route.js';

const USER_INFO = 'x-endpoint-api-userinfo';

/** The answer of `auth.checkRequest`: on refusal, ESP's answer ready to return. */
export type FetchCheckResult =
  | {
      readonly ok: true;
      /** Null when the operation needs no token. */
      readonly auth: AuthInfo | null;
      /**
       * The request to hand on: a copy without any client-sent `X-Endpoint-API-UserInfo`, carrying ESP's
       * value of it when a token was verified (a `Request`'s headers cannot be changed in place).
       */
      readonly request: Request;
    }
  | { readonly ok: false; readonly error: EndpointsAuthError; readonly response: Response };

/**
 * Decides on a standard `Request` with the same core as the Express middleware: on the operations of
 * the route a router matched when they are given (Hono), else on the engine's reading of the URL.
 */
export async function checkRequest(engine: Engine, request: Request, operations?: readonly Operation[]): Promise<FetchCheckResult> {
  const url = new URL(request.url);
  // A Request carries its Host in the URL, not among its headers; ESP's realm is built from it.
  const headers: Record<string, string> = { host: url.host };
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const description = {
    method: request.method,
    url: url.pathname + url.search,
    headers,
    secure: url.protocol === 'https:',
    raw: request,
    // Headers objects give their names in lower case.
    lowerCaseNames: true,
  };
  const result = await (operations ? decideRoute(engine, description, operations) : engine.decide(description));
  if (!result.ok) {
    const { error } = result;
    return { ok: false, error, response: new Response(error.body, { status: error.status, headers: error.headers }) };
  }
  const forwarded = new Headers(request.headers);
  forwarded.delete(USER_INFO);
  if (result.userInfo !== null) forwarded.set(USER_INFO, result.userInfo);
  return { ok: true, auth: result.auth, request: new Request(request, { headers: forwarded }) };
}
