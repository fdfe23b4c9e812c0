import type { NestRequest } from './nest-request.js';

/** The route a platform dispatched a request to: the method and the path pattern as the platform wrote it. */
export interface DispatchedRoute {
  readonly method: string;
  /** Undefined when the platform names no route (a handler mounted without one). */
  readonly pattern: string | undefined;
}

/**
 * What Nest's platform dispatched: on Express the matched route's path behind its mount path
 * (`req.baseUrl + req.route.path`, or the mount path alone for middleware such as GraphQL's), on
 * Fastify `request.routeOptions.url`. Both include Nest's global prefix and URI version, since Nest
 * registers routes with them.
 */
export function dispatchedRoute(req: NestRequest): DispatchedRoute {
  const method = (req.method ?? 'GET').toUpperCase();
  if (req.raw) {
    const url = req.routeOptions?.url;
    return { method, pattern: typeof url === 'string' ? url : undefined };
  }
  const base = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  const path = req.route?.path;
  if (path === undefined) return { method, pattern: base === '' ? undefined : base };
  return { method, pattern: typeof path === 'string' ? base + path : undefined };
}
