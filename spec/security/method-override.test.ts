import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import serverless from 'serverless-http';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { startedBefore, keysForSuite, sendRaw, RAN } from '../dispatch/harness.js';
import { expressFixture } from '../dispatch/express.fixture.js';
import { restApiEvent, lambdaContext } from '../helpers/api-gateway.js';
import { endpointsAuth, withEndpointsAuth, type AuthInfo } from '../../lib/index.js';

// Red team, method override: the check applies X-HTTP-Method-Override (as ESPv2 does before matching),
// so the framework must then run the overriding method's handler, never the sent method's.
// Document: GET /items open, POST /items needs A, DELETE /items/{id} needs A, GET /items/{id} needs A.
const OVERRIDE = 'X-HTTP-Method-Override';

describe('red team: method override', () => {
  const keys = keysForSuite();

  for (const major of [4, 5] as const) {
    describe(`Express ${major}, app.use(auth)`, () => {
      const app = startedBefore(expressFixture(major, 'app.use'), keys);
      const cors = startedBefore(expressFixture(major, 'app.use'), keys, { allowCors: true, allowAll: true });

      it('POST with an override to GET runs the open GET handler, not the guarded POST one', async () => {
        const r = await sendRaw(app.port, 'POST', '/items', { [OVERRIDE]: 'GET' });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get(RAN), 'listItems');
      });
      it('GET with an override to POST is checked as POST: refused without a token, the POST handler with one', async () => {
        assert.equal((await sendRaw(app.port, 'GET', '/items', { [OVERRIDE]: 'POST' })).status, 401);
        const r = await sendRaw(app.port, 'GET', '/items', { [OVERRIDE]: 'post', Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(r.headers.get(RAN), 'createItem');
      });
      it('with allowCors, an override to OPTIONS reaches no guarded handler (Express answers OPTIONS itself)', async () => {
        for (const method of ['DELETE', 'POST', 'GET']) {
          const r = await sendRaw(cors.port, method, '/items/fiction', { [OVERRIDE]: 'OPTIONS' });
          assert.equal(r.headers.get(RAN), undefined, `${method} overridden to OPTIONS ran a handler`);
          assert.ok(r.status < 500);
        }
      });
      it('under x-google-allow: all, an override to a method the document lacks runs no guarded handler', async () => {
        for (const override of ['PATCH', 'TRACE', 'FOO', 'GET, POST']) {
          const r = await sendRaw(cors.port, 'DELETE', '/items/7', { [OVERRIDE]: override });
          assert.notEqual(r.headers.get(RAN), 'deleteItem', override);
          assert.notEqual(r.headers.get(RAN), 'getItem', override);
        }
      });
    });

    describe(`Express ${major}, what the handler sees`, () => {
      let base: string;
      let server: http.Server;
      const auth = endpointsAuth(
        { swagger: '2.0', info: { title: 't', version: '1' }, host: 'svc.test', paths: { '/x': { get: { operationId: 'getX', security: [], responses: {} }, post: { operationId: 'postX', security: [], responses: {} } } } },
      );
      before(async () => {
        const app = major === 5 ? express() : (await import('express4')).default();
        app.use(auth);
        app.all('/x', (req: express.Request & { originalMethod?: string }, res: express.Response) => {
          res.json({ method: req.method, originalMethod: req.originalMethod ?? null });
        });
        server = http.createServer(app);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      });
      after(async () => {
        auth.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
      it('req.method is the checked method and req.originalMethod the one sent, as method-override sets them', async () => {
        const r = await fetch(`${base}/x`, { method: 'POST', headers: { [OVERRIDE]: 'get' } });
        assert.deepEqual(await r.json(), { method: 'GET', originalMethod: 'POST' });
        const plain = await fetch(`${base}/x`, { method: 'POST' });
        assert.deepEqual(await plain.json(), { method: 'POST', originalMethod: null });
      });
    });

    describe(`Express ${major}, auth.operation(id) on the route`, () => {
      const app = startedBefore(expressFixture(major, 'auth.operation'), keys);
      it('the route chose the handler: the override changes neither the operation checked nor the handler', async () => {
        const r = await sendRaw(app.port, 'POST', '/items', { [OVERRIDE]: 'GET' });
        assert.equal(r.status, 401);
        assert.equal(r.headers.get(RAN), undefined);
      });
    });
  }

  describe('Fetch shell', () => {
    it('the handler gets the request with the checked method; a GET made from a POST carries no body', async () => {
      const auth = endpointsAuth(keys.document());
      const seen: { method: string; body: string; auth: AuthInfo | null }[] = [];
      const handle = auth.fetchHandler(async (request, info) => {
        seen.push({ method: request.method, body: await request.text(), auth: info });
        return new Response('ok');
      });
      try {
        await handle(new Request('http://h.test/items', { method: 'POST', body: 'x', headers: { [OVERRIDE]: 'GET' } }));
        assert.deepEqual(seen.pop(), { method: 'GET', body: '', auth: null });
        const refused = await handle(new Request('http://h.test/items', { method: 'GET', headers: { [OVERRIDE]: 'POST' } }));
        assert.equal(refused.status, 401);
        assert.equal(seen.length, 0);
        await handle(new Request('http://h.test/items/7', { method: 'POST', body: 'y', headers: { [OVERRIDE]: 'DELETE', authorization: `Bearer ${keys.tokens.A}` } }));
        const deleted = seen.pop()!;
        assert.equal(deleted.method, 'DELETE');
        assert.equal(deleted.body, 'y');
        assert.equal(deleted.auth?.operationId, 'deleteItem');
      } finally {
        auth.close();
      }
    });
    it('an override a Request cannot carry (TRACE, not a method name) is not applied: checked and handed on as sent, without the header', async () => {
      const auth = endpointsAuth(keys.document({ allowAll: true }));
      const seen: Request[] = [];
      const handle = auth.fetchHandler((request) => {
        seen.push(request);
        return new Response('ok');
      });
      try {
        assert.equal((await handle(new Request('http://h.test/items/7', { method: 'DELETE', headers: { [OVERRIDE]: 'TRACE' } }))).status, 401);
        assert.equal((await handle(new Request('http://h.test/items/7', { method: 'DELETE', headers: { [OVERRIDE]: 'G E T' } }))).status, 401);
        await handle(new Request('http://h.test/items', { method: 'GET', headers: { [OVERRIDE]: 'TRACE' } }));
        assert.equal(seen.length, 1);
        assert.equal(seen[0]!.method, 'GET');
        assert.equal(seen[0]!.headers.get(OVERRIDE), null);
      } finally {
        auth.close();
      }
    });
  });

  describe('serverless shells', () => {
    it('Cloud Functions (functions-framework): the wrapped handler sees the checked method', async () => {
      const fn = withEndpointsAuth(keys.document(), (req: express.Request & { originalMethod?: string }, res: express.Response) => {
        res.json({ method: req.method, originalMethod: req.originalMethod ?? null });
      });
      functions.http('override', fn);
      const server = getTestServer('override');
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const r = await fetch(`${base}/items`, { method: 'POST', headers: { [OVERRIDE]: 'GET' } });
        assert.deepEqual(await r.json(), { method: 'GET', originalMethod: 'POST' });
        assert.equal((await fetch(`${base}/items`, { method: 'GET', headers: { [OVERRIDE]: 'POST' } })).status, 401);
      } finally {
        fn.auth.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
    it('Lambda through serverless-http: an Express app behind it dispatches the checked method', async () => {
      const auth = endpointsAuth(keys.document());
      const app = express();
      app.use(auth);
      app.get('/items', (_req, res) => void res.json({ ran: 'listItems' }));
      app.post('/items', (_req, res) => void res.json({ ran: 'createItem' }));
      const handler = serverless(app);
      try {
        const invoke = async (method: string, override: string) =>
          (await handler(restApiEvent({ method, path: '/items', headers: { [OVERRIDE]: override } }), lambdaContext)) as { statusCode: number; body: string };
        assert.deepEqual(JSON.parse((await invoke('POST', 'GET')).body), { ran: 'listItems' });
        assert.equal((await invoke('GET', 'POST')).statusCode, 401);
      } finally {
        auth.close();
      }
    });
  });
});
