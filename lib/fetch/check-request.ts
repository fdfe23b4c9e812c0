import type { AuthInfo } from '../kernel/auth-info.js';
import type { Engine } from '../engine/create-engine.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import type { Operation } from '../openapi/model.js';
import { decideRoute } from '../engine/decide-route.js';

const USER_INFO = 'x-endpoint-api-userinfo';
const OVERRIDE = 'x-http-method-override';
/** Methods a `Request` cannot carry (the Fetch standard forbids them): an override to one is not applied. */
const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** An HTTP method is a token (RFC 9110); a `Request` refuses anything else. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The answer of `auth.checkRequest`: on refusal, ESP's answer ready to return. */
export type FetchCheckResult =
  | {
      readonly ok: true;
      /** Null when the operation needs no token. */
      readonly auth: AuthInfo | null;
      /**
       * The request to hand on, the one that was checked: without any client-sent
       * `X-Endpoint-API-UserInfo`, carrying ESP's value of it when a token was verified, and with the
       * method of an `X-HTTP-Method-Override` (as ESPv2 rewrites `:method`). It is the request you
       * passed in, its headers edited, when its headers can be changed and the method stays; a copy
       * otherwise (a platform's incoming request has immutable headers, and no `Request` can change
       * its method). Route on it, not on the request you passed in.
       */
      readonly request: Request;
    }
  | { readonly ok: false; readonly error: EndpointsAuthError; readonly response: Response };

/**
 * Decides on a standard `Request` with the same core as the Express middleware: on the operations of
 * the route a router matched when they are given (Hono; `unmapped` when some matched route stands for
 * none, see `decideRoute`), else on the engine's reading of the URL. An
 * override to a method a `Request` cannot carry (CONNECT, TRACE, TRACK, or not a method name at all)
 * is not applied: the request is decided on, and handed on, with the method it was sent with, without
 * the override header.
 */
export async function checkRequest(engine: Engine, request: Request, operations?: readonly Operation[], unmapped = false): Promise<FetchCheckResult> {
  const url = new URL(request.url);
  // A Request carries its Host in the URL, not among its headers; ESP's realm is built from it.
  const headers: Record<string, string> = { host: url.host };
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const override = headers[OVERRIDE];
  const unusable = override !== undefined && override !== '' && (FORBIDDEN.has(override.toUpperCase()) || !TOKEN.test(override));
  if (unusable) delete headers[OVERRIDE];
  const description = {
    method: request.method,
    url: url.pathname + url.search,
    headers,
    secure: url.protocol === 'https:',
    raw: request,
    // Headers objects give their names in lower case.
    lowerCaseNames: true,
  };
  const result = await (operations ? decideRoute(engine, description, operations, unmapped) : engine.decide(description));
  if (!result.ok) {
    const { error } = result;
    return { ok: false, error, response: new Response(error.body, { status: error.status, headers: error.headers }) };
  }
  // In place only where `headers` is the request's own object: an implementation whose getter made a
  // new Headers on each read would hand the handler the unedited one.
  const own = request.headers;
  if (result.method === request.method.toUpperCase() && request.headers === own && editHeaders(own, result.userInfo, unusable)) {
    return { ok: true, auth: result.auth, request };
  }
  const forwarded = new Headers(request.headers);
  editHeaders(forwarded, result.userInfo, unusable);
  return { ok: true, auth: result.auth, request: handOn(request, result.method, forwarded) };
}

/**
 * ESP's edits of the forwarded headers, in place: false when the headers are immutable (then nothing
 * was changed, as the first edit throws). Editing costs far less than copying a `Request`, whose
 * constructor is most of what this shell would otherwise cost per request.
 */
function editHeaders(headers: Headers, userInfo: string | null, dropOverride: boolean): boolean {
  try {
    headers.delete(USER_INFO);
    if (dropOverride) headers.delete(OVERRIDE);
    if (userInfo !== null) headers.set(USER_INFO, userInfo);
    return true;
  } catch {
    return false;
  }
}

/** A copy of the request with `headers` and the method `method`; a GET or HEAD made from another method carries no body, as none can. */
function handOn(request: Request, method: string, headers: Headers): Request {
  if (method === request.method.toUpperCase()) return new Request(request, { headers });
  if (method === 'GET' || method === 'HEAD') {
    return new Request(request.url, { method, headers, signal: request.signal });
  }
  return new Request(request, { method, headers });
}
