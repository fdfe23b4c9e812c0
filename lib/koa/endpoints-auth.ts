import type { Middleware, Next } from 'koa';
import type { AuthInfo, RegisteredClaims } from '../kernel/auth-info.js';
import type { EndpointsAuthOptions } from '../kernel/config.js';
import { createEngine } from '../engine/create-engine.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import { admit } from '../node-http/admit.js';
import { operationsMatching } from '../match/operations-matching.js';
import type { Operation } from '../openapi/model.js';
import { routeOperations } from '../match/route-operations.js';
import './types.js';

/** What the middleware sets on `ctx.state`. */
export interface EndpointsAuthState<C extends object = RegisteredClaims> {
  /** The verified token's facts; absent when the operation needs no token. */
  auth?: AuthInfo<C>;
}

/** A layer of @koa/router, as it lists the ones that matched in `ctx.matched`. */
interface RouterLayer {
  readonly path: string | RegExp;
  readonly methods: readonly string[];
}

/** The parts of Koa's context the routing reads (and `path`, which it may write). */
interface RoutingContext {
  readonly method: string;
  path: string;
  readonly querystring: string;
  readonly matched?: readonly RouterLayer[];
}

/** Percent-escapes of letters, digits, "-", "_" and "~" (RFC 3986 unreserved; "." left alone so no dot segment appears). */
const UNRESERVED_ESCAPE = /%(?:4[1-9A-F]|5[0-9AF]|6[1-9A-F]|7[0-9AE]|3[0-9]|2D)/gi;
const MALFORMED_ESCAPE = /%(?![0-9A-F]{2})/i;
/** @koa/router routes without regard to letter case by default. */
const CASELESS = { caseless: true } as const;

/**
 * Koa middleware guarding every route with the document: `app.use(endpointsAuth(spec, options))`
 * ahead of the router, or `router.use(...)` inside @koa/router. A pass sets `ctx.state.auth` and ESP's
 * `X-Endpoint-API-UserInfo` (a client-sent one is removed first); a refusal is ESP's exact answer, or,
 * with `onError: 'next'`, the `EndpointsAuthError` thrown to Koa's error handling.
 *
 * What is checked is what the router will dispatch. Inside @koa/router, the operations of the routes
 * it matched. Ahead of it, Koa's own reading of the path (`ctx.path`: no fragment, absolute-form
 * targets reduced to their path), with escaped letters and digits decoded and runs of slashes merged,
 * written back to `ctx.path` (as ESPv2's path normalisation does), held to every operation the path matches with or
 * without regard to letter case (@koa/router routes case-insensitively by default), HEAD by its GET.
 */
export function endpointsAuth<C extends object = RegisteredClaims>(spec: unknown, options?: EndpointsAuthOptions): Middleware<EndpointsAuthState<C>> {
  const engine = createEngine(spec, options);
  const routes = routeOperations(engine.model);
  const onError = engine.config.onError;

  // Ahead of the router the request is held to every operation whose template can match it, not only
  // to ESP's choice (see candidates()).
  const templates = operationsMatching(engine.model.operations);

  /**
   * The operations the request may be dispatched to, and whether some route the router matched stands
   * for none (then the engine's reading of the URL, with the method Koa dispatches, is checked too).
   */
  function candidates(ctx: RoutingContext): { operations: readonly Operation[]; unmapped: boolean } {
    const matched = ctx.matched;
    if (matched) {
      // Inside @koa/router: the routes it matched for this method (`router.use` layers list no methods).
      const found = matched.filter((layer) => layer.methods.includes(ctx.method)).map((layer) => (typeof layer.path === 'string' ? routes.find(ctx.method, layer.path) : []));
      return { operations: found.flat(), unmapped: found.some((ops) => ops.length === 0) };
    }
    // The engine drops empty segments; the router would not (`/files//public` is no `/files/public`
    // route, but is one for `/files/*path`): like ESPv2's slash merging, the router gets the merged path.
    // A stray "%" is left as it is: decoding next to it could make a new escape (`%%373` -> `%73`).
    const decodable = !MALFORMED_ESCAPE.test(ctx.path);
    const decoded = (decodable ? ctx.path.replace(UNRESERVED_ESCAPE, (escape) => decodeURIComponent(escape)) : ctx.path).replace(/\/{2,}/g, '/');
    if (decoded !== ctx.path) ctx.path = decoded;
    const url = ctx.querystring ? `${decoded}?${ctx.querystring}` : decoded;
    // @koa/router runs the first route registered that matches, which need not be the one ESP's
    // matcher prefers (`/items/:id` registered before `/items/search`), and answers HEAD with GET: the
    // request is held to every operation of its method (HEAD: and of GET) whose template matches.
    const methods = ctx.method === 'HEAD' ? ['HEAD', 'GET'] : [ctx.method];
    const found = new Set<Operation>();
    const exact = engine.findOperation(ctx.method, url);
    if (exact) found.add(exact);
    for (const op of templates.find(methods, url, CASELESS)) found.add(op);
    return { operations: [...found], unmapped: false };
  }

  return async function espressoJwt(ctx, next: Next) {
    // ctx.state is typed with this middleware's claims type; the engine's AuthInfo has the registered one.
    const { operations, unmapped } = candidates(ctx);
    // routed: the check holds the request to the method Koa dispatches, so req.method stays as sent.
    const outcome = admit(engine, ctx.req, ctx.state as { auth?: AuthInfo }, operations, true, unmapped);
    const error: EndpointsAuthError | undefined = outcome instanceof Promise ? await outcome : outcome;
    if (!error) return next();
    if (onError === 'next') throw error;
    ctx.status = error.status;
    ctx.set(error.headers);
    ctx.body = error.body;
  };
}
