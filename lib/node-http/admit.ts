import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '../kernel/auth-info.js';
import type { CheckResult } from '../engine/check-result.js';
import type { Engine } from '../engine/create-engine.js';
import type { MaybePromise } from '../kernel/maybe-async.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import type { Operation } from '../openapi/model.js';
import { decideRoute } from '../engine/decide-route.js';
import { stripUserInfo } from './strip-user-info.js';
import { toDescription } from './to-description.js';

/**
 * Decides on a Node request and, when it passes, gives it what ESP's backend sees: `auth` on `holder`
 * (the framework's request object, `req` itself in Express) and ESP's `X-Endpoint-API-UserInfo`, a
 * client-sent one removed first. Answers the refusal otherwise; synchronously when the engine decided synchronously. Shared by
 * every Node-based shell. `target` is one operation (Express's per-route middleware), the operations
 * of the route the framework matched (Fastify, Koa), or nothing: the engine then reads the URL.
 */
export function admit(
  engine: Engine,
  req: IncomingMessage & { originalUrl?: string },
  holder: { auth?: AuthInfo | null },
  target?: string | readonly Operation[],
): MaybePromise<EndpointsAuthError | undefined> {
  stripUserInfo(req);
  const apply = (result: CheckResult): EndpointsAuthError | undefined => {
    if (!result.ok) return result.error;
    if (result.auth) holder.auth = result.auth;
    if (result.userInfo !== null) req.headers['x-endpoint-api-userinfo'] = result.userInfo;
    return undefined;
  };
  const description = toDescription(req, holder);
  const result = typeof target === 'object' ? decideRoute(engine, description, target) : engine.decide(description, target);
  return result instanceof Promise ? result.then(apply) : apply(result);
}
