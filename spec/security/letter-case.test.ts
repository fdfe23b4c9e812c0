import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import { startedBefore, keysForSuite, sendRaw, RAN } from '../dispatch/harness.js';
import { expressFixture, expressPath } from '../dispatch/express.fixture.js';
import { inRouteOrder } from '../dispatch/dispatch-document.js';
import { endpointsAuth, lint } from '../../lib/index.js';

// Red team, letter case: ESP matches case-sensitively, Express routes case-insensitively unless told
// otherwise. Document: GET /users/me needs A beside the open GET /users/{uid}; GET /Upper/Case needs B
// beside the open GET /upper/{x}.
describe('red team: letter case', () => {
  const keys = keysForSuite();

  for (const major of [4, 5] as const) {
    describe(`Express ${major}`, () => {
      const insensitive = startedBefore(expressFixture(major, 'app.use'), keys);
      const sensitive = startedBefore(expressFixture(major, 'strict, case sensitive'), keys);
      const open = startedBefore(expressFixture(major, 'app.use'), keys, { allowAll: true });

      it('GET /users/ME (Express default: the guarded /users/me handler) needs /users/me\'s token', async () => {
        for (const target of ['/users/ME', '/users/Me', '/USERS/me']) {
          const r = await sendRaw(insensitive.port, 'GET', target, {});
          assert.equal(r.status, target === '/USERS/me' ? 404 : 401, target);
          assert.equal(r.headers.get(RAN), undefined, target);
        }
        const r = await sendRaw(insensitive.port, 'GET', '/users/ME', { Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(r.headers.get(RAN), 'getMe');
      });

      it('with case sensitive routing, /users/ME runs the open {uid} handler, and the check asks no less than /users/me does', async () => {
        assert.equal((await sendRaw(sensitive.port, 'GET', '/users/ME', {})).status, 401);
        const r = await sendRaw(sensitive.port, 'GET', '/users/ME', { Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(r.headers.get(RAN), 'getUser');
      });

      it('a document literal with capitals (/Upper/Case) holds /upper/case to it as well as to the open /upper/{x}', async () => {
        for (const port of [insensitive.port, sensitive.port, open.port]) {
          assert.equal((await sendRaw(port, 'GET', '/upper/case', {})).status, 401);
          assert.equal((await sendRaw(port, 'GET', '/upper/case', { Authorization: `Bearer ${keys.tokens.B}` })).status, 200);
        }
      });

      it('under x-google-allow: all, a path that matches a template only without regard to case is still held to it', async () => {
        for (const target of ['/ITEMS/7', '/Items/7', '/USERS/ME', '/FILES/a/b']) {
          const r = await sendRaw(open.port, 'GET', target, {});
          assert.equal(r.status, 401, target);
          assert.equal(r.headers.get(RAN), undefined, target);
        }
      });

      it('a Router with { caseSensitive: true }, which the middleware cannot see: never a guarded handler without a token', async () => {
        const auth = endpointsAuth(keys.document({ allowAll: true }));
        const app = major === 5 ? express() : express4();
        const router = (major === 5 ? express.Router : express4.Router)({ caseSensitive: true });
        router.use(auth as never);
        for (const op of inRouteOrder()) {
          (router as unknown as Record<string, (path: string, h: express.RequestHandler) => void>)[op.method.toLowerCase()]!(expressPath(op.template, major), (_req, res) => {
            res.setHeader(RAN, op.id);
            res.end();
          });
        }
        app.use(router);
        const server = http.createServer(app);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const port = (server.address() as AddressInfo).port;
          for (const target of ['/users/ME', '/users/me', '/Upper/Case', '/upper/case', '/ITEMS/7']) {
            const r = await sendRaw(port, 'GET', target, {});
            assert.ok(!['getMe', 'getUpper', 'getItem'].includes(r.headers.get(RAN) ?? ''), `${target} ran ${r.headers.get(RAN)}`);
          }
        } finally {
          auth.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      });
    });
  }

  it('two templates that differ only by case: a request to either is held to both, and lint says why', async () => {
    const spec = keys.document({ allowAll: true }) as { paths: Record<string, unknown> };
    spec.paths['/Items/{id}'] = { get: { operationId: 'getItemCapital', security: [], responses: {} } };
    const problems = lint(spec).problems.filter((p) => /only by letter case/.test(p.message));
    assert.deepEqual(problems.map((p) => [p.severity, p.path]), [['warning', '$.paths["/Items/{id}"].get']]);
    const auth = endpointsAuth(spec);
    try {
      for (const path of ['/Items/7', '/items/7', '/ITEMS/7']) {
        const refused = await auth.check({ method: 'GET', url: path, headers: {} });
        assert.equal(refused.ok, false, path);
        const passed = await auth.check({ method: 'GET', url: path, headers: { authorization: `Bearer ${keys.tokens.A}` } });
        assert.equal(passed.ok, true, path);
      }
    } finally {
      auth.close();
    }
  });
});
