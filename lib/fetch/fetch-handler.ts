import type { AuthInfo, RegisteredClaims } from '../kernel/auth-info.js';
import type { Engine } from '../engine/create-engine.js';
import { checkRequest } from './check-request.js';

/**
 * A Fetch API handler that runs only for requests ESP would let through. `rest` is whatever else the
 * platform passes: `env` and `ctx` on Cloudflare Workers, `{ params }` in a Next.js route handler.
 */
export type FetchHandler<Rest extends unknown[] = unknown[], C extends object = RegisteredClaims> = (
  request: Request,
  auth: AuthInfo<C> | null,
  ...rest: Rest
) => Response | Promise<Response>;

/** Wraps a handler: refused requests get ESP's answer, the others reach `handler(request, auth, ...rest)`. */
export function fetchHandler<Rest extends unknown[], C extends object>(
  engine: Engine,
  handler: FetchHandler<Rest, C>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    const checked = await checkRequest(engine, request);
    return checked.ok ? handler(checked.request, checked.auth as AuthInfo<C> | null, ...rest) : checked.response;
  };
}
