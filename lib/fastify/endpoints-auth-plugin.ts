import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createEngine } from '../engine/create-engine.js';
import type { EndpointsAuthOptions } from '../kernel/config.js';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import { admit } from '../node-http/admit.js';
import { writeRefusal } from '../node-http/write-refusal.js';
import { routeOperations } from '../match/route-operations.js';
import './types.js';

/** The plugin's options: the OpenAPI document (parsed, see `loadOpenApi`) and `endpointsAuth`'s options. */
export interface EndpointsAuthPluginOptions extends EndpointsAuthOptions {
  spec: unknown;
}

/**
 * Guards every route of the Fastify instance (and of every plugin registered after it) with the
 * document, in an `onRequest` hook: before the body is read or parsed. Fastify has routed by then, so
 * the check is on the operation of the route Fastify matched and the method it dispatches (HEAD by
 * its GET), however Fastify read the URL (`caseSensitive`, `ignoreTrailingSlash`, percent-decoding);
 * a request no route matches is read as ESP reads it. A pass sets `request.auth` and ESP's
 * `X-Endpoint-API-UserInfo` (a client-sent one is removed first); a refusal is ESP's exact answer, or,
 * with `onError: 'next'`, the `EndpointsAuthError` handed to Fastify's error handler.
 */
function endpointsAuthPlugin(app: FastifyInstance, options: EndpointsAuthPluginOptions, done: (err?: Error) => void): void {
  // Fastify hands a plugin its own register options too; they are Fastify's, not ours.
  const { spec, prefix: _prefix, logLevel: _logLevel, logSerializers: _logSerializers, ...rest } = options as EndpointsAuthPluginOptions &
    Record<'prefix' | 'logLevel' | 'logSerializers', unknown>;
  let engine: ReturnType<typeof createEngine>;
  try {
    engine = createEngine(spec, rest);
  } catch (e) {
    // A bad document or option fails app.register / app.ready, never the process.
    done(e as Error);
    return;
  }
  const routes = routeOperations(engine.model);
  const onError = engine.config.onError;

  app.decorateRequest('auth', null);
  app.addHook('onClose', (_instance, closed) => {
    engine.close();
    closed();
  });
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, next: (err?: Error) => void) => {
    const settle = (error: EndpointsAuthError | undefined) => {
      if (!error) next();
      else if (onError === 'next') next(error);
      else {
        // ESP's bytes as they are: Fastify's own reply would add a charset and run serializers.
        reply.hijack();
        writeRefusal(reply.raw, error);
      }
    };
    const route = request.routeOptions.url;
    // routed: Fastify has chosen the handler by the sent method; an override cannot change it.
    const outcome = admit(engine, request.raw, request, route === undefined ? undefined : routes.find(request.method, route), true);
    if (outcome instanceof Promise) outcome.then(settle, (e: unknown) => next(e instanceof Error ? e : new Error('espresso-jwt: check failed')));
    else settle(outcome);
  });
  done();
}

// What fastify-plugin sets: the hook guards the instance the plugin is registered on, not a child
// context of its own.
Object.assign(endpointsAuthPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'espresso-jwt',
  [Symbol.for('plugin-meta')]: { name: 'espresso-jwt', fastify: '5.x' },
});

export { endpointsAuthPlugin };
