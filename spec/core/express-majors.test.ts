import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import express4 from 'express4';
import { createRequire } from 'node:module';
import { fixture } from '../helpers/fixture.js';
import { espv2Body, startApp } from '../helpers/app.js';

// The middleware is plain (req, res, next) over Node's request and response, so Express 4 and 5 must
// see the same answers. Each behaviour an app relies on, run on both majors.
const MAJORS = [
  ['Express 4', express4, '4.'],
  ['Express 5', express, '5.'],
] as const;

const version = (pkg: string): string => (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;

for (const [name, framework, major] of MAJORS) {
  describe(`the middleware on ${name}`, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    before(async () => {
      f = await fixture();
    });
    after(async () => f.server.stop());
    const start = (configure?: Parameters<typeof startApp>[2], options = {}) => startApp(f.doc(), options, configure, {}, framework);

    it(`is the major it says (${major}x)`, () => {
      assert.ok(version(framework === express4 ? 'express4' : 'express').startsWith(major));
    });

    it('passes a valid token: claims on req.auth, the payload forwarded as X-Endpoint-API-UserInfo', async () => {
      const app = await start();
      try {
        const token = await f.token();
        const r = await app.send('/v1/shelves/7', { headers: { authorization: `Bearer ${token}` } });
        assert.equal(r.status, 200);
        assert.equal(r.json.auth.operationId, 'getShelf');
        assert.equal(r.json.auth.claims.sub, 'user-1');
        assert.equal(r.json.userinfo, token.split('.')[1]);
      } finally {
        await app.close();
      }
    });

    it("refuses with ESP's exact answer: status, WWW-Authenticate and body", async () => {
      const app = await start();
      try {
        const r = await app.send('/v1/shelves');
        assert.equal(r.status, 401);
        assert.equal(r.headers.get('www-authenticate'), `Bearer realm="${app.base}/v1/shelves"`);
        assert.equal(r.headers.get('content-type'), 'application/json');
        assert.equal(r.text, espv2Body(401, 'Jwt is missing'));
        const expired = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ exp: 1_000_000 })}` } });
        assert.equal(expired.text, espv2Body(401, 'Jwt is expired'));
        const undefinedPath = await app.send('/v1/nowhere');
        assert.equal(undefinedPath.text, espv2Body(404, 'The current request is not defined by this API.'));
      } finally {
        await app.close();
      }
    });

    it('removes a forged X-Endpoint-API-UserInfo on an open route', async () => {
      const app = await start();
      try {
        const r = await app.send('/v1/public', { headers: { 'x-endpoint-api-userinfo': 'eyJzdWIiOiJhZG1pbiJ9' } });
        assert.equal(r.status, 200);
        assert.equal(r.json.userinfo, null);
        assert.deepEqual(r.json.rawUserinfo, []);
      } finally {
        await app.close();
      }
    });

    it('guards one route with auth.operation(id), and works in a router mounted under a prefix', async () => {
      const app = await start((a, auth) => {
        const router = framework.Router();
        router.get('/shelves/:shelf', auth.operation('getShelf'), (req, res) => res.json({ shelf: req.params.shelf, sub: req.auth?.claims.sub }));
        a.use('/v1', router);
      });
      try {
        assert.equal((await app.send('/v1/shelves/7')).text, espv2Body(401, 'Jwt is missing'));
        const ok = await app.send('/v1/shelves/7', { headers: { authorization: `Bearer ${await f.token()}` } });
        assert.deepEqual(ok.json, { shelf: '7', sub: 'user-1' });
      } finally {
        await app.close();
      }
    });

    it("onError: 'next' reaches the app's error handler with the EndpointsAuthError", async () => {
      const app = await start(undefined, { onError: 'next' });
      try {
        const r = await app.send('/v1/shelves');
        assert.equal(r.status, 599);
        assert.deepEqual(r.json.nextError, { name: 'EndpointsAuthError', status: 401, message: 'Jwt is missing', reason: 'jwt_missing' });
      } finally {
        await app.close();
      }
    });
  });
}
