import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '../kernel/auth-info.js';
import type { CheckResult } from '../engine/check-result.js';
import type { Engine } from '../engine/create-engine.js';
import type { MaybePromise } from '../kernel/maybe-async.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import type { Operation } from '../openapi/model.js';
import { decideRoute } from '../engine/decide-route.js';
import { holdAlso } from './hold-also.js';
import { stripUserInfo } from './strip-user-info.js';
import { readNodeRequest, toDescription } from './to-description.js';

/** A Node request, with what Express and method-override add to it. */
export type NodeRequest = IncomingMessage & { originalUrl?: string; originalMethod?: string };

/**
 * Decides on a Node request and, when it passes, gives it what ESP's backend sees: `auth` on `holder`
 * (the framework's request object, `req` itself in Express), ESP's `X-Endpoint-API-UserInfo` (a
 * client-sent one removed first) and the method that was checked: with `X-HTTP-Method-Override`,
 * `req.method` becomes the overriding method and `req.originalMethod` keeps the one sent, as Express's
 * method-override does, so a router that dispatches after us runs the handler that was checked. Answers
 * the refusal otherwise; synchronously when the engine decided synchronously. Shared by every
 * Node-based shell. `target` is one operation (Express's per-route middleware), the operations of the
 * route the framework matched (Fastify, Koa), or nothing: the engine then reads the URL. `routed`:
 * the framework has already chosen the handler by the sent method (a guard, a hook that runs after
 * routing), so an override cannot change what runs: the request is held to both methods. `unmapped`:
 * some route the framework matched stands for no operation (see `decideRoute`). `also`: operations
 * the framework may dispatch the request to instead of the one matched (Express's route order), each
 * of which must let it through as well.
 */
export function admit(
  engine: Engine,
  req: NodeRequest,
  holder: { auth?: AuthInfo | null },
  target?: string | readonly Operation[],
  routed = false,
  unmapped = false,
  also: readonly Operation[] = [],
): MaybePromise<EndpointsAuthError | undefined> {
  const parts = readNodeRequest(req);
  stripUserInfo(req, parts.headers, parts.rawHeaders);
  const apply = (result: CheckResult): EndpointsAuthError | undefined => {
    if (!result.ok) return result.error;
    if (result.auth) holder.auth = result.auth;
    if (result.userInfo !== null) parts.headers['x-endpoint-api-userinfo'] = result.userInfo;
    if (!routed && result.method !== parts.method) {
      req.originalMethod ??= parts.method;
      req.method = result.method;
    }
    return undefined;
  };
  const description = toDescription(req, parts, holder, routed);
  const decided = typeof target === 'object' ? decideRoute(engine, description, target, unmapped) : engine.decide(description, target);
  const result = also.length === 0 ? decided : holdAlso(engine, description, decided, also);
  return result instanceof Promise ? result.then(apply) : apply(result);
}
