import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { endpointsAuth, EndpointsAuthError, SpecError } from '../../lib/index.js';
import { AUDIENCE, fixture, ISSUER, providersDoc } from '../helpers/fixture.js';
import { esp1Body, espv2Body, startApp } from '../helpers/app.js';
import { NOW_S } from '../helpers/tokens.js';

describe('the Express shell', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    f = await fixture();
  });
  after(async () => f.server.stop());

  it('removes a client-sent X-Endpoint-API-UserInfo on open routes, and replaces it on guarded ones', async () => {
    const app = await startApp(f.doc());
    try {
      const forged = Buffer.from('{"sub":"admin"}').toString('base64url');
      const open = await app.send('/v1/public', { headers: { 'x-endpoint-api-userinfo': forged } });
      assert.equal(open.status, 200);
      assert.equal(open.json.userinfo, null);
      assert.deepEqual(open.json.rawUserinfo, []);
      const token = await f.token();
      const guarded = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}`, 'x-endpoint-api-userinfo': forged } });
      assert.equal(guarded.json.userinfo, token.split('.')[1]);
      assert.deepEqual(guarded.json.rawUserinfo, []);
      const refused = await app.send('/v1/shelves', { headers: { 'x-endpoint-api-userinfo': forged } });
      assert.equal(refused.status, 401);
    } finally {
      await app.close();
    }
  });

  it('auth.operation(id) guards one route with that operation, wherever it is mounted', async () => {
    const app = await startApp(f.doc(), {}, (a, auth) => {
      a.get('/custom/place', auth.operation('listShelves'), (req, res) => res.json({ reached: true, auth: req.auth }));
      a.get('/open', (_req, res) => res.json({ open: true }));
    });
    try {
      assert.equal((await app.send('/custom/place')).text, espv2Body(401, 'Jwt is missing'));
      const ok = await app.send('/custom/place', { headers: { authorization: `Bearer ${await f.token()}` } });
      assert.equal(ok.json.auth.operationId, 'listShelves');
      assert.equal((await app.send('/open')).json.open, true);
      assert.throws(() => app.auth.operation('nope'), /no operation "nope"/);
    } finally {
      await app.close();
    }
  });

  it('a repeated token is answered from the verified-token cache; an expired cached token is refused', async () => {
    let now = NOW_S * 1000;
    const app = await startApp(f.doc(), { now: () => now });
    try {
      const token = await f.token({ exp: NOW_S + 30 });
      const call = () => app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await call()).status, 200);
      const cache = app.auth.engine.tokenCache;
      assert.equal(cache.size, 1);
      const hitsBefore = cache.hits;
      assert.equal((await call()).status, 200);
      assert.equal(cache.hits, hitsBefore + 1);
      now += 200_000;
      assert.equal((await call()).text, espv2Body(401, 'Jwt is expired'));
      assert.equal(cache.size, 0, 'the expired entry is dropped');
    } finally {
      await app.close();
    }
  });

  // The cache is keyed by a token's end (its signature): a forgery that keeps a cached token's
  // signature must be verified on its own, in every dialect, and must not evict the real entry.
  for (const [compatibility, refusal] of [
    ['espv2', espv2Body(401, 'Jwt verification fails')],
    ['esp', esp1Body(16, 'JWT validation failed: JWT signature verification failed.')],
    ['esp-1.32', esp1Body(16, 'JWT validation failed: BAD_SIGNATURE')],
  ] as const) {
    it(`${compatibility}: a token sharing a cached token's signature is verified, not answered from the cache`, async () => {
      const app = await startApp(f.doc(), { compatibility });
      try {
        const token = await f.token();
        const [header, , signature] = token.split('.');
        const forged = `${header}.${Buffer.from(JSON.stringify({ iss: ISSUER, sub: 'admin', aud: AUDIENCE, exp: NOW_S + 3600 })).toString('base64url')}.${signature}`;
        const call = (t: string) => app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
        assert.equal((await call(token)).status, 200);
        const cache = app.auth.engine.tokenCache;
        const hits = cache.hits;
        assert.equal((await call(forged)).text, refusal);
        assert.equal(cache.hits, hits, 'the forgery was not a hit');
        assert.equal((await call(token)).status, 200);
        assert.equal(cache.hits, hits + 1, 'the real token is still cached');
      } finally {
        await app.close();
      }
    });
  }

  it('providers that share a key URL share verified tokens: a token both accept is verified once', async () => {
    const doc = providersDoc([
      { name: 'web', issuer: ISSUER, jwksUri: f.jwksUri, audiences: `${AUDIENCE},web` },
      { name: 'mobile', issuer: ISSUER, jwksUri: f.jwksUri, audiences: `${AUDIENCE},mobile` },
    ]);
    const app = await startApp(doc);
    try {
      const token = await f.token();
      const call = (path: string) => app.send(path, { headers: { authorization: `Bearer ${token}` } });
      const cache = app.auth.engine.tokenCache;
      for (const path of ['/p/web', '/p/mobile', '/p/web', '/p/mobile']) assert.equal((await call(path)).status, 200);
      assert.deepEqual({ size: cache.size, hits: cache.hits, misses: cache.misses }, { size: 1, hits: 3, misses: 1 });
    } finally {
      await app.close();
    }
  });

  it('a full cache takes a new token only when it comes back: tokens seen once never push out the ones that return', async () => {
    const app = await startApp(f.doc(), { tokenCacheSize: 2 });
    try {
      const call = passes(app);
      const cache = app.auth.engine.tokenCache;
      const [a, b, once, back] = await Promise.all([f.token({ sub: 'a' }), f.token({ sub: 'b' }), f.token({ sub: 'once' }), f.token({ sub: 'back' })]);
      await call(a);
      await call(b);
      assert.equal(cache.size, 2, 'a cache with room takes every verified token');
      await call(once);
      await call(back);
      assert.equal(cache.size, 2);
      assert.equal(await hitsDuring(cache, async () => (await call(a), await call(b))), 2, 'tokens seen once did not evict the cached ones');
      await call(back);
      assert.equal(await hitsDuring(cache, () => call(back)), 1, 'a token that came back was cached on its second verification');
    } finally {
      await app.close();
    }
  });

  it('a full cache forgets a token seen once after a cache-size of other verifications: a loop longer than that never evicts anything', async () => {
    const app = await startApp(f.doc(), { tokenCacheSize: 2 });
    try {
      const call = passes(app);
      const cache = app.auth.engine.tokenCache;
      const tokens = await Promise.all(['a', 'b', 'late', 'o1', 'o2', 'o3', 'o4'].map((sub) => f.token({ sub })));
      const [a, b, late, ...others] = tokens as [string, string, string, ...string[]];
      await call(a);
      await call(b);
      await call(late);
      for (const t of others) await call(t);
      await call(late);
      assert.equal(await hitsDuring(cache, async () => (await call(a), await call(b))), 2, 'the late return was a first sight again: a and b are still cached');
      await call(late);
      assert.equal(await hitsDuring(cache, () => call(late)), 1, 'seen twice within the window, it is cached now');
    } finally {
      await app.close();
    }
  });

  it('tokenCacheSize: 0 turns the cache off', async () => {
    const app = await startApp(f.doc(), { tokenCacheSize: 0 });
    try {
      const token = await f.token();
      await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
      await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(app.auth.engine.tokenCache.hits, 0);
    } finally {
      await app.close();
    }
  });

  it('auth.check is the framework-free core: the same decision with no server', async () => {
    const auth = endpointsAuth(f.doc());
    try {
      const refused = await auth.check({ method: 'GET', url: '/v1/shelves', headers: {} });
      assert.equal(refused.ok, false);
      if (!refused.ok) {
        assert.ok(refused.error instanceof EndpointsAuthError);
        assert.equal(refused.error.status, 401);
        assert.equal(refused.error.body, espv2Body(401, 'Jwt is missing'));
        assert.equal(refused.error.reason, 'jwt_missing');
        assert.match(refused.error.hint, /Authorization header/);
      }
      const token = await f.token();
      const passed = await auth.check({ method: 'GET', url: '/v1/shelves', headers: { Authorization: `Bearer ${token}` } });
      assert.equal(passed.ok, true);
      if (passed.ok) {
        assert.equal(passed.auth?.operationId, 'listShelves');
        assert.equal(passed.userInfo, token.split('.')[1]);
      }
    } finally {
      auth.close();
    }
  });

  it('a bad document fails at start-up with every problem and its JSON path', () => {
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-issuer'] = 42;
    doc.paths['/v1/shelves'].get.security = [{ nobody: [] }];
    doc.paths['/v1/public'].get.operationId = 'listShelves';
    assert.throws(
      () => endpointsAuth(doc),
      (e: unknown) => {
        assert.ok(e instanceof SpecError);
        const paths = e.problems.map((p) => p.path);
        assert.ok(paths.includes('$.securityDefinitions.issuer["x-google-issuer"]'), paths.join());
        assert.ok(paths.includes('$.paths["/v1/shelves"].get.security[0].nobody'), paths.join());
        assert.ok(paths.includes('$.paths["/v1/public"].get.operationId'), paths.join());
        return true;
      },
    );
  });

  it('works on Express routers mounted under a prefix (a document that spells whole paths)', async () => {
    const app = await startApp(f.doc(), {}, (a, auth) => {
      const router = express.Router();
      router.use(auth);
      a.use('/v1', router);
    });
    try {
      assert.equal((await app.send('/v1/shelves')).text, espv2Body(401, 'Jwt is missing'));
    } finally {
      await app.close();
    }
  });
});

describe('the Express shell over TLS', () => {
  it("a refusal's realm says https when the connection is TLS (read only when a refusal needs it)", async () => {
    const { default: https } = await import('node:https');
    const { readFileSync } = await import('node:fs');
    const certs = new URL('../fixtures/x509/', import.meta.url);
    const app = express();
    const f = await fixture();
    app.use(endpointsAuth(f.doc(), { keys: { [ISSUER]: { keys: [] } } }));
    app.get('/v1/shelves', (_req, res) => res.json({ reached: true }));
    const server = https.createServer({ cert: readFileSync(new URL('sa-1.cert.pem', certs)), key: readFileSync(new URL('sa-1.key.pem', certs)) }, app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const answer = await new Promise<{ status: number; realm: string | undefined }>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, path: '/v1/shelves', headers: { host: `shop.test:${port}` }, rejectUnauthorized: false }, (res) => {
            res.resume().on('end', () => resolve({ status: res.statusCode!, realm: res.headers['www-authenticate'] as string | undefined }));
          })
          .on('error', reject);
      });
      assert.equal(answer.status, 401);
      assert.equal(answer.realm, `Bearer realm="https://shop.test:${port}/v1/shelves"`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await f.server.stop();
    }
  });
});

/** A request to /v1/shelves with `token`, which must pass. */
function passes(app: Awaited<ReturnType<typeof startApp>>): (token: string) => Promise<void> {
  return async (token) => assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } })).status, 200);
}

/** The verified-token cache's hits while `calls` run. */
async function hitsDuring(cache: { readonly hits: number }, calls: () => Promise<unknown>): Promise<number> {
  const before = cache.hits;
  await calls();
  return cache.hits - before;
}
