import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '../core/auth-info.js';
import type { Engine } from '../core/create-engine.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import { stripUserInfo } from './strip-user-info.js';
import { toDescription } from './to-description.js';

/**
 * Decides on a Node request and, when it passes, gives it what ESP's backend sees: `auth` on `holder`
 * (the framework's request object, `req` itself in Express) and ESP's `X-Endpoint-API-UserInfo`, a
 * client-sent one removed first. Resolves to the refusal otherwise. Shared by every Node-based shell.
 */
export async function admit(
  engine: Engine,
  req: IncomingMessage & { originalUrl?: string },
  holder: { auth?: AuthInfo },
  operationId?: string,
): Promise<EndpointsAuthError | undefined> {
  stripUserInfo(req);
  const result = await engine.check({ ...toDescription(req), raw: holder }, operationId);
  if (!result.ok) return result.error;
  if (result.auth) holder.auth = result.auth;
  if (result.userInfo !== null) req.headers['x-endpoint-api-userinfo'] = result.userInfo;
  return undefined;
}
