import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import Koa from 'koa';
import Router from '@koa/router';
import { endpointsAuthPlugin } from '../../lib/fastify/index.js';
import { endpointsAuth as honoAuth } from '../../lib/hono/index.js';
import { endpointsAuth as koaAuth } from '../../lib/koa/index.js';
import { bookstore, fixture } from '../helpers/fixture.js';
import { send, type Reply, type SendInit } from '../helpers/http.js';
import { bearer } from '../helpers/refusal.js';

/**
 * Red team for the Fastify, Hono and Koa shells: none of these frameworks applies
 * X-HTTP-Method-Override, serves HEAD with a GET handler, and some dispatch by their own rules
 * (registration order, patterns the document cannot spell). Every handler records that it ran; no
 * handler but the open search may ever run without a token, whichever branch of a shell decides.
 */

const ok = { 200: { description: 'ok' } };

function auditDoc(jwksUri: string, allowAll: boolean): any {
  const doc = bookstore(jwksUri);
  doc['x-google-endpoints'] = [{ name: doc.host, allowCors: true }];
  if (allowAll) doc['x-google-allow'] = 'all';
  Object.assign(doc.paths, {
    '/items/search': { get: { operationId: 'searchItems', security: [], responses: ok } },
    '/items/{id}': { get: { operationId: 'getItem', responses: ok } },
    '/admin': { get: { operationId: 'admin', responses: ok } },
    '/num/{id}': { get: { operationId: 'getNum', responses: ok } },
    '/orders/{id}': {
      get: { operationId: 'getOrder', responses: ok },
      head: { operationId: 'headOrder', security: [], responses: ok },
    },
  });
  return doc;
}

/** The one handler the document leaves open. */
const OPEN = 'GET /items/search';

interface App {
  send(path: string, init?: SendInit): Promise<Reply>;
  close(): Promise<void>;
}
type Start = (spec: unknown, ran: string[]) => Promise<App>;

async function listening(server: http.Server): Promise<App> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    send: (p, init) => send(base, p, init),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The routes every shell registers (in this order; `/num` apart, each shell's own pattern syntax). */
const ROUTES = [
  ['GET', '/items/:id'],
  ['GET', '/items/search'],
  ['DELETE', '/items/:id'],
  ['GET', '/admin'],
  ['DELETE', '/admin'],
  ['GET', '/orders/:id'],
] as const;

const startFastify: Start = async (spec, ran) => {
  const app = Fastify();
  await app.register(endpointsAuthPlugin, { spec });
  const route = (method: 'GET' | 'DELETE', url: string, name = `${method} ${url}`) =>
    app.route({ method, url, handler: async () => (ran.push(name), { ran: name }) });
  for (const [method, path] of ROUTES) route(method, path);
  // A nested group: no document shape can be read from it.
  route('GET', '/num/:id(^(\\d+)$)', 'GET /num');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { send: (p, init) => send(base, p, init), close: () => app.close() };
};

const startHono: Start = async (spec, ran) => {
  const app = new Hono();
  app.use(honoAuth(spec));
  const route = (method: 'GET' | 'DELETE', path: string, name = `${method} ${path}`) =>
    app.on(method, path, (c) => (ran.push(name), c.json({ ran: name })));
  for (const [method, path] of ROUTES) route(method, path);
  // A quantifier inside the pattern: braces nested in braces.
  route('GET', '/num/:id{[0-9]{1,3}}', 'GET /num');
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { send: (p, init) => send(base, p, init), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

function startKoa(mount: 'app' | 'router'): Start {
  return async (spec, ran) => {
    const app = new Koa();
    const router = new Router();
    if (mount === 'app') app.use(koaAuth(spec));
    else router.use(koaAuth(spec));
    const route = (method: 'GET' | 'DELETE', path: string, name = `${method} ${path}`) =>
      router.register(path, [method], (ctx) => {
        ran.push(name);
        ctx.body = { ran: name };
      });
    // The guarded template first: @koa/router runs the first route registered that matches.
    for (const [method, path] of ROUTES) route(method, path);
    router.get(/^\/num\/\d+$/, (ctx) => {
      ran.push('GET /num');
      ctx.body = { ran: 'GET /num' };
    });
    app.use(router.routes());
    return listening(http.createServer(app.callback()));
  };
}

const SHELLS: readonly (readonly [string, Start])[] = [
  ['Fastify', startFastify],
  ['Hono', startHono],
  ['Koa ahead of @koa/router', startKoa('app')],
  ['Koa inside @koa/router', startKoa('router')],
];

/** Requests without a token that reached guarded handlers before (audit findings C1, C2, H2). */
const ATTACKS: readonly (readonly [what: string, method: string, path: string, override?: string])[] = [
  ['a method the document lacks at the path, overridden to its open GET', 'DELETE', '/items/search', 'GET'],
  ['a method the document lacks, overridden to OPTIONS (allowCors)', 'DELETE', '/admin', 'OPTIONS'],
  ['a guarded GET overridden to OPTIONS (allowCors)', 'GET', '/admin', 'OPTIONS'],
  ['a guarded GET overridden to a method no one defines', 'GET', '/admin', 'PURGE'],
  ['a DELETE overridden to a method no one defines', 'DELETE', '/items/7', 'PURGE'],
  ['a route pattern with no document shape', 'GET', '/num/12'],
  ['a route pattern with no document shape, overridden to OPTIONS', 'GET', '/num/12', 'OPTIONS'],
  ['a route pattern with no document shape, overridden to PURGE', 'GET', '/num/12', 'PURGE'],
  ['HEAD beside an open HEAD, served by the guarded GET handler', 'HEAD', '/orders/7'],
  ['HEAD beside an open HEAD, overridden to OPTIONS', 'HEAD', '/orders/7', 'OPTIONS'],
];

for (const allowAll of [false, true]) {
  for (const [name, start] of SHELLS) {
    describe(`${name}${allowAll ? ', x-google-allow: all' : ''}: no guarded handler runs without a token`, () => {
      let f: Awaited<ReturnType<typeof fixture>>;
      let app: App;
      const ran: string[] = [];
      before(async () => {
        f = await fixture();
        app = await start(auditDoc(f.jwksUri, allowAll), ran);
      });
      after(async () => {
        await app.close();
        await f.server.stop();
      });

      // With `x-google-allow: all` the document leaves a method it does not define open (the app's
      // DELETE handlers), with or without an override: only the attacks on documented methods apply.
      for (const [what, method, path, override] of ATTACKS.filter(([, m]) => !allowAll || m !== 'DELETE')) {
        it(`${method} ${path}${override ? ` + override ${override}` : ''}: ${what}`, async () => {
          ran.length = 0;
          const r = await app.send(path, { method, headers: override ? { 'x-http-method-override': override } : {} });
          assert.deepEqual(ran, [], `${r.status} ${r.text}`);
          assert.ok(r.status >= 400, `${r.status} ${r.text}`);
          // ESP's answer (a HEAD answer has no body to read).
          if (method !== 'HEAD') assert.match(r.text, /^\{"code":\d{3},"message":"(?:[^"\\]|\\.)+"\}\n$/);
        });
      }

      it('GET /items/search, documented open, behind a guarded template registered first: the router may run either', async () => {
        ran.length = 0;
        const r = await app.send('/items/search');
        if (ran.length > 0) assert.deepEqual(ran, [OPEN], r.text);
        else assert.equal(r.status, 401, r.text);
      });

      it('the same requests with a valid token reach the handler the framework dispatches', async () => {
        const token = await f.token();
        for (const [method, path] of [['GET', '/admin'], ['GET', '/num/12'], ['HEAD', '/orders/7'], ['GET', '/items/search']] as const) {
          ran.length = 0;
          const r = await app.send(path, { method, headers: bearer(token) });
          assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
          assert.equal(ran.length, 1, `${method} ${path}`);
        }
      });
    });
  }
}
