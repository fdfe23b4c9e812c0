import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono, type Context } from 'hono';
import { fixture } from '../helpers/fixture.js';
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

describe('Hono on @hono/node-server: the Node request', () => {
  it("keeps no client-sent X-Endpoint-API-UserInfo in c.env.incoming, on open and guarded routes", async () => {
    const f = await fixture();
    const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();
    app.use(endpointsAuth(f.doc()));
    const echo = (c: Context<{ Bindings: { incoming: IncomingMessage } }>) => {
      const incoming = c.env.incoming;
      return c.json({
        header: incoming.headers['x-endpoint-api-userinfo'] ?? null,
        raw: incoming.rawHeaders.filter((_, i) => i % 2 === 0 && incoming.rawHeaders[i]!.toLowerCase() === 'x-endpoint-api-userinfo'),
        distinct: incoming.headersDistinct['x-endpoint-api-userinfo'] ?? null,
      });
    };
    app.get('/v1/public', echo);
    app.get('/v1/shelves', echo);
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const forged = Buffer.from('{"sub":"admin"}').toString('base64url');
      const clean = { header: null, raw: [], distinct: null };
      const open = await send(base, '/v1/public', { headers: { 'x-endpoint-api-userinfo': forged } });
      assert.deepEqual(open.json, clean);
      const guarded = await send(base, '/v1/shelves', { headers: { authorization: `Bearer ${await f.token()}`, 'X-Endpoint-API-UserInfo': forged } });
      assert.deepEqual(guarded.json, clean);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await f.server.stop();
    }
  });
});
