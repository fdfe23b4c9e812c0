import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import endpointsAuthPlugin from '../../lib/fastify/index.js';
import { send } from '../helpers/http.js';
import { ROUTES, type Echo } from './shell-doc.js';
import { shellMatrix, type ShellApp } from './shell-matrix.js';

async function startFastify(spec: unknown, options = {}): Promise<ShellApp> {
  const app = Fastify();
  await app.register(endpointsAuthPlugin, { spec, ...options });
  for (const [method, path] of ROUTES) {
    app.route({
      method,
      url: path,
      handler: async (request): Promise<Echo> => ({
        reached: true,
        handler: `${method} ${path}`,
        auth: request.auth,
        userinfo: (request.headers['x-endpoint-api-userinfo'] as string | undefined) ?? null,
      }),
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { base, send: (p, init) => send(base, p, init), close: () => app.close() };
}

shellMatrix('Fastify', startFastify, { frameworkBadUrl: true });
