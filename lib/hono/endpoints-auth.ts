import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AuthInfo, RegisteredClaims } from '../kernel/auth-info.js';
import type { EndpointsAuthOptions } from '../kernel/config.js';
import { createEngine } from '../engine/create-engine.js';
import { checkRequest } from '../fetch/check-request.js';
import { stripUserInfo } from '../node-http/strip-user-info.js';
import { routeOperations } from '../match/route-operations.js';
import './types.js';

/** What the middleware sets on the context: `c.get('auth')`. */
export interface EndpointsAuthVariables<C extends object = RegisteredClaims> {
  /** The verified token's facts; null when the operation needs no token. */
  auth: AuthInfo<C> | null;
}

/**
 * Hono middleware guarding every route with the document: `app.use(endpointsAuth(spec, options))`.
 * The check is on the operations of the routes Hono matched after it (HEAD by its GET), so that it
 * and Hono's dispatch agree whatever the URL looked like; a request no route of the document matches
 * is read as ESP reads it. A pass sets `c.get('auth')` and replaces `c.req.raw` with the request
 * without any client-sent `X-Endpoint-API-UserInfo`, carrying ESP's own; a refusal is ESP's Response,
 * or, with `onError: 'next'`, the `EndpointsAuthError` thrown to `app.onError`.
 */
export function endpointsAuth<C extends object = RegisteredClaims>(
  spec: unknown,
  options?: EndpointsAuthOptions,
): MiddlewareHandler<{ Variables: EndpointsAuthVariables<C> }> {
  const engine = createEngine(spec, options);
  const routes = routeOperations(engine.model);
  const onError = engine.config.onError;

  return async function espressoJwt(c, next) {
    // On @hono/node-server the Node request stays reachable (`c.env.incoming`): a proxy that forwards
    // it must not carry a client's X-Endpoint-API-UserInfo either. ESP's own value is on `c.req.raw`.
    const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
    if (isNodeRequest(incoming)) stripUserInfo(incoming);
    // Every route Hono will run after this middleware. A `use` route (method ALL, a path ending in a
    // wildcard) is middleware and stands for no operation; any other route that stands for none (not
    // in the document, or a pattern with no document shape) makes the engine read the URL too.
    const found = matchedRoutes(c)
      .slice(c.req.routeIndex + 1)
      .filter((r) => !(r.method === 'ALL' && r.path.endsWith('*')))
      .map((r) => routes.find(r.method === 'ALL' ? c.req.method : r.method, r.path));
    const checked = await checkRequest(engine, c.req.raw, found.flat(), found.some((ops) => ops.length === 0));
    if (!checked.ok) {
      if (onError === 'next') throw checked.error;
      return checked.response;
    }
    c.set('auth', checked.auth as AuthInfo<C> | null);
    c.req.raw = checked.request;
    await next();
  };
}

/** A Node `IncomingMessage`, as @hono/node-server hands it over: its header views are there to clean. */
function isNodeRequest(value: unknown): value is Parameters<typeof stripUserInfo>[0] {
  const v = value as { rawHeaders?: unknown; headers?: unknown } | null | undefined;
  return typeof v === 'object' && v !== null && Array.isArray(v.rawHeaders) && typeof v.headers === 'object' && v.headers !== null;
}
