import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, bookstore, ISSUER } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type SigningAlg, type TestKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';

const claims = { iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 600 };

// Key selection and signature verification with every family ESPv2 supports.
describe('ESPv2 keys and signatures', () => {
  let server: KeyServer;
  const keys = new Map<SigningAlg, TestKey>();
  let app: TestApp;
  const algs: SigningAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'ES512', 'HS256', 'HS512', 'EdDSA'];
  before(async () => {
    server = await new KeyServer().start();
    for (const alg of algs) keys.set(alg, await makeKey(alg));
    app = await startApp(bookstore(server.serve('/jwks', jwks(...keys.values()))));
  });
  after(async () => {
    await app.close();
    await server.stop();
  });
  const call = (token: string) => app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });

  for (const alg of algs) {
    it(`${alg}: a token signed by the key passes`, async () => {
      const r = await call(await mint(keys.get(alg)!, claims));
      assert.equal(r.status, 200, r.text);
    });
  }

  it('a tampered payload fails: Jwt verification fails', async () => {
    const [h, , s] = (await mint(keys.get('RS256')!, claims)).split('.');
    const p = Buffer.from(JSON.stringify({ ...claims, admin: true })).toString('base64url');
    const r = await call(`${h}.${p}.${s}`);
    assert.equal(r.status, 401);
    assert.equal(r.text, espv2Body(401, 'Jwt verification fails'));
  });

  it('a kid no key has: Jwks doesn\'t have key to match kid or alg from Jwt', async () => {
    const r = await call(await mint(keys.get('RS256')!, claims, { kid: 'nobody' }));
    assert.equal(r.text, espv2Body(401, "Jwks doesn't have key to match kid or alg from Jwt"));
  });

  it('a token without kid tries every key', async () => {
    assert.equal((await call(await mint(keys.get('ES384')!, claims, { kid: undefined }))).status, 200);
  });

  it('HS256 naming an RS256 key (alg declared) has no candidate', async () => {
    const hs = await makeKey('HS256');
    const t = await mint(hs, claims, { kid: keys.get('RS256')!.kid });
    assert.equal((await call(t)).text, espv2Body(401, "Jwks doesn't have key to match kid or alg from Jwt"));
  });

  it('an Ed25519 candidate and a signature that is not 64 bytes: Jwt ED25519 signature is wrong length', async () => {
    const ed = keys.get('EdDSA')!;
    const [h, p] = (await mint(ed, claims)).split('.');
    const r = await call(`${h}.${p}.${Buffer.alloc(10).toString('base64url')}`);
    assert.equal(r.text, espv2Body(401, 'Jwt ED25519 signature is wrong length'));
  });
});

describe('keys without alg: the key type must fit the token alg', () => {
  let server: KeyServer;
  let app: TestApp;
  let rsa: TestKey;
  before(async () => {
    server = await new KeyServer().start();
    rsa = await makeKey('RS256', { jwkAlg: false, kid: 'shared' });
    app = await startApp(bookstore(server.serve('/jwks', jwks(rsa))));
  });
  after(async () => {
    await app.close();
    await server.stop();
  });
  it('PS256 with the same RSA key verifies (no alg on the key)', async () => {
    const ps = { ...rsa, alg: 'PS256' as const };
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await mint(ps, claims)}` } });
    assert.equal(r.status, 200, r.text);
  });
  it('ES256 against an RSA key is a candidate that never verifies: Jwt verification fails', async () => {
    const ec = await makeKey('ES256', { kid: 'shared' });
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await mint(ec, claims)}` } });
    assert.equal(r.text, espv2Body(401, 'Jwt verification fails'));
  });
});

describe('key download failure', () => {
  it('a key URL answering 500: 401 Jwks remote fetch is failed, detail only in the logger', async () => {
    const server = await new KeyServer().start();
    const key = await makeKey('RS256');
    const logged: string[] = [];
    const app = await startApp(bookstore(server.serve('/jwks', 'oops', { status: 500 })), {
      logger: { warn: (m) => logged.push(m), debug: (m) => logged.push(m) },
    });
    try {
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await mint(key, claims)}` } });
      assert.equal(r.status, 401);
      assert.equal(r.text, espv2Body(401, 'Jwks remote fetch is failed'));
      assert.ok(logged.some((m) => m.includes('HTTP 500')), logged.join('\n'));
      assert.ok(!r.text.includes('500'));
    } finally {
      await app.close();
      await server.stop();
    }
  });
});
