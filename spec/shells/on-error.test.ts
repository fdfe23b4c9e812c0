import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import Koa from 'koa';
import endpointsAuthPlugin from '../../lib/fastify/index.js';
import { endpointsAuth as honoAuth } from '../../lib/hono/index.js';
import { endpointsAuth as koaAuth } from '../../lib/koa/index.js';
import { EndpointsAuthError } from '../../lib/index.js';
import { fixture } from '../helpers/fixture.js';
import { send } from '../helpers/http.js';

// onError: 'next' hands the refusal to the framework's own error handling instead of answering it.
describe("onError: 'next' in the Fastify, Hono and Koa shells", () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  const closers: (() => Promise<void>)[] = [];
  const caught: unknown[] = [];
  const bases: Record<string, string> = {};
  before(async () => {
    f = await fixture();
    const options = { onError: 'next' as const };

    const fastify = Fastify();
    await fastify.register(endpointsAuthPlugin, { spec: f.doc(), ...options });
    fastify.setErrorHandler((error, _request, reply) => {
      caught.push(error);
      void reply.code(418).send({ handledBy: 'fastify' });
    });
    fastify.get('/v1/shelves', async () => ({ reached: true }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    bases.fastify = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
    closers.push(() => fastify.close());

    const hono = new Hono();
    hono.use(honoAuth(f.doc(), options));
    hono.get('/v1/shelves', (c) => c.json({ reached: true }));
    hono.onError((error, c) => {
      caught.push(error);
      return c.json({ handledBy: 'hono' }, 418);
    });
    const honoServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    bases.hono = `http://127.0.0.1:${(honoServer.address() as AddressInfo).port}`;
    closers.push(() => new Promise<void>((resolve) => honoServer.close(() => resolve())));

    const koa = new Koa();
    koa.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught.push(error);
        ctx.status = 418;
        ctx.body = { handledBy: 'koa' };
      }
    });
    koa.use(koaAuth(f.doc(), options));
    koa.use((ctx) => {
      ctx.body = { reached: true };
    });
    const koaServer = http.createServer(koa.callback());
    await new Promise<void>((resolve) => koaServer.listen(0, '127.0.0.1', resolve));
    bases.koa = `http://127.0.0.1:${(koaServer.address() as AddressInfo).port}`;
    closers.push(async () => {
      koaServer.closeAllConnections();
      await new Promise<void>((resolve) => koaServer.close(() => resolve()));
    });
  });
  after(async () => {
    for (const close of closers) await close();
    await f.server.stop();
  });

  for (const name of ['fastify', 'hono', 'koa']) {
    it(`${name}: a missing token reaches the error handler as an EndpointsAuthError, and no route runs`, async () => {
      caught.length = 0;
      const r = await send(bases[name]!, '/v1/shelves');
      assert.equal(r.status, 418);
      assert.deepEqual(r.json, { handledBy: name });
      assert.equal(caught.length, 1);
      assert.ok(caught[0] instanceof EndpointsAuthError);
      assert.equal((caught[0] as EndpointsAuthError).status, 401);
      assert.equal((caught[0] as EndpointsAuthError).reason, 'jwt_missing');
    });
  }
});
