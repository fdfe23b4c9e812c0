import type { IncomingMessage, ServerResponse } from 'node:http';
import { createEngine, type Engine } from '../engine/create-engine.js';
import type { CheckResult } from '../engine/check-result.js';
import type { EndpointsAuthOptions } from '../kernel/config.js';
import type { RequestDescription } from '../kernel/request-view.js';
import type { AuthInfo, RegisteredClaims } from '../kernel/auth-info.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import { admit } from '../node-http/admit.js';
import { writeRefusal } from '../node-http/write-refusal.js';
import type { OpenApiDocument } from '../openapi/openapi-document.js';
import { checkRequest, type FetchCheckResult } from '../fetch/check-request.js';
import { fetchHandler, type FetchHandler } from '../fetch/fetch-handler.js';
import { routeOrder } from './route-order.js';
import './types.js';

type Req = IncomingMessage & { originalUrl?: string; auth?: AuthInfo; app?: unknown };
type Next = (err?: unknown) => void;
export type Middleware = (req: Req, res: ServerResponse, next: Next) => void;

/**
 * The Express middleware, with the core's operations on it. `C` types the claims that `fetchHandler`
 * hands on (default: those declared through `Register`).
 */
export interface EndpointsAuth<C extends object = RegisteredClaims> extends Middleware {
  /** The middleware of one operation, for per-route use: `app.get(path, auth.operation('getShelf'), handler)`. */
  operation(operationId: string): Middleware;
  /** The framework-free core: the same decision the middleware acts on. */
  check(request: RequestDescription): Promise<CheckResult>;
  /** The same decision on a Fetch API `Request`; a refusal comes with ESP's answer as a `Response`. */
  checkRequest(request: Request): Promise<FetchCheckResult>;
  /**
   * A Fetch API handler (Workers, Next.js, Bun, Deno) that calls `handler(request, auth, ...rest)` only
   * when allowed, `rest` being every other argument the platform passed (`env`, `ctx`, `{ params }`).
   */
  fetchHandler<Rest extends unknown[]>(handler: FetchHandler<Rest, C>): (request: Request, ...rest: Rest) => Promise<Response>;
  /** Resolves when every provider's keys are loaded; rejects when some cannot be. */
  ready(): Promise<void>;
  /** Stops background key refreshes. */
  close(): void;
  /** The core, for adapters. */
  readonly engine: Engine;
}

/**
 * Reads the OpenAPI document once and returns Express middleware that guards every operation in it
 * as ESP would. Throws `SpecError` (every problem, with JSON paths) when the document cannot be enforced.
 */
export function endpointsAuth<C extends object = RegisteredClaims>(spec: OpenApiDocument, options?: EndpointsAuthOptions): EndpointsAuth<C>;
export function endpointsAuth<C extends object = RegisteredClaims>(spec: unknown, options?: EndpointsAuthOptions): EndpointsAuth<C>;
export function endpointsAuth<C extends object = RegisteredClaims>(spec: unknown, options?: EndpointsAuthOptions): EndpointsAuth<C> {
  const engine = createEngine(spec, options);
  const onError = engine.config.onError;
  // The route order only matters to the document-wide middleware: per-route middleware runs after
  // Express chose the route.
  const order = routeOrder(engine.model, engine.config.logger);

  const guard = (operationId: string | undefined): Middleware =>
    function espressoJwt(req, res, next) {
      const settle = (error: EndpointsAuthError | undefined) => {
        if (!error) next();
        else if (onError === 'next') next(error);
        else writeRefusal(res, error);
      };
      // A decision that needed no waiting (a cached token, an open operation) is acted on at once.
      const also = operationId === undefined ? order.heldAlso(req) : undefined;
      const outcome = admit(engine, req, req, operationId, false, false, also);
      if (outcome instanceof Promise) {
        // The engine never rejects; should it ever, the request is refused, not let through.
        outcome.then(settle, (e) => next(e ?? new Error('espresso-jwt: check failed')));
      } else settle(outcome);
    };

  const auth = guard(undefined) as EndpointsAuth<C>;
  return Object.assign(auth, {
    operation(operationId: string): Middleware {
      if (!engine.hasOperation(operationId)) throw new TypeError(`espresso-jwt: the document has no operation "${operationId}"`);
      return guard(operationId);
    },
    check: (request: RequestDescription) => engine.check(request),
    checkRequest: (request: Request) => checkRequest(engine, request),
    fetchHandler: <Rest extends unknown[]>(handler: FetchHandler<Rest, C>) => fetchHandler(engine, handler),
    ready: () => engine.ready(),
    close: () => engine.close(),
    engine,
  });
}
