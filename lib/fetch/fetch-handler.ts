import type { AuthInfo } from '../kernel/auth-info.js';
import type { Engine } from '../engine/create-engine.js';
import { checkRequest } from './check-request.js';

/** A Fetch API handler that runs only for requests ESP would let through. */
export type FetchHandler = (request: Request, auth: AuthInfo | null) => Response | Promise<Response>;

/** Wraps a handler: refused requests get ESP's answer, the others reach `handler(request, auth)`. */
export function fetchHandler(engine: Engine, handler: FetchHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    const checked = await checkRequest(engine, request);
    return checked.ok ? handler(checked.request, checked.auth) : checked.response;
  };
}
