import type { IncomingMessage } from 'node:http';
import type { Engine } from '../engine/create-engine.js';

/**
 * A middleware mounted under a prefix (`app.use('/api', router)` with `router.use(auth)`) sees every
 * request's whole URL, `/api/v1/shelves`, while the document names `/v1/shelves`: everything answers
 * 404 and nothing says why. On the first such 404 whose path below the mount point is an operation of
 * the document, this says so once, with the fix: through the logger, or else as a Node process
 * warning (shown on stderr, silenced with --no-warnings).
 */
export function mountPrefixWarning(engine: Engine): (req: IncomingMessage & { originalUrl?: string; baseUrl?: string }) => void {
  let warned = false;
  return (req) => {
    if (warned || req.originalUrl === undefined || req.url === undefined || req.originalUrl === req.url) return;
    const op = engine.findOperation(req.method ?? 'GET', req.url);
    if (!op) return;
    warned = true;
    const prefix = req.baseUrl || req.originalUrl.slice(0, req.originalUrl.length - req.url.length) || '/';
    const message =
      `espresso-jwt: ${req.method} ${req.originalUrl.split('?')[0]} matches no operation, but ${req.url.split('?')[0]} (the path below the mount point ${prefix}) matches ${op.id}: ` +
      `the middleware reads the whole URL, mount point included, and answers 404 for every request here. Either put ${prefix} in the document ` +
      `(basePath: ${prefix} in Swagger 2.0, servers: [{ url: ${prefix} }] in OpenAPI 3), or use the middleware at the top level (app.use(auth)) rather than inside the router`;
    const logger = engine.config.logger;
    if (logger?.warn) logger.warn(message);
    else globalThis.process?.emitWarning?.(message, { code: 'ESPRESSO_JWT_MOUNT_PREFIX' });
  };
}
