import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { endpointsAuth } from '../../lib/hono/index.js';
import { send } from '../helpers/http.js';
import { ROUTES, type Echo } from './shell-doc.js';
import { shellMatrix, type ShellApp } from './shell-matrix.js';

async function startHono(spec: unknown, options = {}): Promise<ShellApp> {
  // A plain `new Hono()`, as the docs write it: the middleware's types must fit it as is.
  const app = new Hono();
  app.use(endpointsAuth(spec, options));
  for (const [method, path] of ROUTES) {
    app.on(method, path, (c) =>
      c.json({
        reached: true,
        handler: `${method} ${path}`,
        auth: c.get('auth'),
        userinfo: c.req.header('x-endpoint-api-userinfo') ?? null,
      } satisfies Echo),
    );
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    send: (p, init) => send(base, p, init),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

shellMatrix('Hono', startHono);
