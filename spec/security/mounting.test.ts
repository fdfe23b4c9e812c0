import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import { startedBefore, keysForSuite, sendRaw, RAN, CHECKED } from '../dispatch/harness.js';
import { expressFixture, expressPath } from '../dispatch/express.fixture.js';
import { inRouteOrder, OPERATIONS } from '../dispatch/dispatch-document.js';
import { endpointsAuth } from '../../lib/index.js';

// Red team, mounting: under app.use('/api', ...) Express routes on req.url (the part after the mount
// path) while req.originalUrl keeps the whole. The check matches on what the router routes on, and a
// document that spells whole paths (its base path the mount) still works.
describe('red team: mounting', () => {
  const keys = keysForSuite();

  for (const major of [4, 5] as const) {
    describe(`Express ${major}`, () => {
      const mounted = startedBefore(expressFixture(major, 'mounted'), keys);
      const mountedOpen = startedBefore(expressFixture(major, 'mounted'), keys, { allowAll: true });

      it('app.use(\'/api\', auth) with the document\'s paths relative to the mount: every guarded route asks for its token', async () => {
        for (const app of [mounted, mountedOpen]) {
          for (const op of OPERATIONS.filter((o) => o.need !== 'open' && o.method === 'GET')) {
            const target = `/api${op.template.replace(/\{[^}]+\}/g, '7')}`;
            const r = await sendRaw(app.port, 'GET', target, {});
            assert.equal(r.status, 401, target);
            assert.equal(r.headers.get(RAN), undefined, target);
          }
        }
        const r = await sendRaw(mountedOpen.port, 'GET', '/api/items/7', { Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(r.headers.get(CHECKED), 'getItem');
        assert.equal(r.headers.get(RAN), 'getItem');
      });

      it('the mount path in another case or with a trailing piece is routed by Express the same way, and checked the same way', async () => {
        for (const target of ['/API/items/7', '/Api/items/7/', 'http://h.test/api/items/7']) {
          assert.equal((await sendRaw(mountedOpen.port, 'GET', target, {})).status, 401, target);
        }
      });

      it('a Router mounted under a prefix, with a document that spells whole paths (basePath /v1)', async () => {
        const spec = keys.document() as { basePath?: string };
        spec.basePath = '/v1';
        const auth = endpointsAuth(spec);
        const app = major === 5 ? express() : express4();
        const router = (major === 5 ? express.Router : express4.Router)();
        router.use(auth as never);
        for (const op of inRouteOrder()) {
          (router as unknown as Record<string, (path: string, h: express.RequestHandler) => void>)[op.method.toLowerCase()]!(expressPath(op.template, major), (req, res) => {
            res.setHeader(RAN, op.id);
            res.setHeader(CHECKED, req.auth?.operationId ?? '');
            res.end();
          });
        }
        app.use('/v1', router);
        const server = http.createServer(app);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const port = (server.address() as AddressInfo).port;
          assert.equal((await sendRaw(port, 'GET', '/v1/items/7', {})).status, 401);
          const r = await sendRaw(port, 'GET', '/v1/items/7', { Authorization: `Bearer ${keys.tokens.A}` });
          assert.equal(r.headers.get(RAN), 'getItem');
          assert.equal(r.headers.get(CHECKED), 'getItem');
          assert.equal((await sendRaw(port, 'GET', '/v1/items/search', {})).headers.get(RAN), 'searchItems');
        } finally {
          auth.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      });
    });
  }
});
