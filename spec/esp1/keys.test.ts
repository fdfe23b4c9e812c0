import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base64url } from 'jose';
import { AUDIENCE, bookstore, ISSUER, SERVICE } from '../helpers/fixture.js';
import { esp1Body, startApp } from '../helpers/app.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// ESP v1's keys: found and cached by the stripped issuer, no stale fallback, OpenID
// discovery remembered for a while when it fails, HS secrets as the whole key document.
describe('ESP v1 keys, issuers and audiences', () => {
  let server: KeyServer;
  let rsa: TestKey;
  let es: TestKey;
  let hs: TestKey;
  before(async () => {
    server = await new KeyServer().start();
    [rsa, es, hs] = await Promise.all([makeKey('RS256'), makeKey('ES256'), makeKey('HS256')]);
  });
  after(() => server.stop());

  const failed = (reason: string) => esp1Body(16, `JWT validation failed: ${reason}`);

  /** A document whose one operation accepts each given scheme (issuer -> key URL or discovery). */
  function doc(schemes: Record<string, { issuer: string; jwks?: string; audiences?: string }>) {
    const d = bookstore(server.url('/unused'));
    d.securityDefinitions = Object.fromEntries(
      Object.entries(schemes).map(([name, s]) => [
        name,
        {
          type: 'oauth2',
          flow: 'implicit',
          authorizationUrl: '',
          'x-google-issuer': s.issuer,
          ...(s.jwks ? { 'x-google-jwks_uri': s.jwks } : {}),
          ...(s.audiences ? { 'x-google-audiences': s.audiences } : {}),
        },
      ]),
    );
    d.security = Object.keys(schemes).map((name) => ({ [name]: [] }));
    return d;
  }
  const call = async (mode: 'esp' | 'esp-1.32', d: unknown, tokens: string[], options = {}) => {
    const app = await startApp(d, { compatibility: mode, ...options });
    try {
      const out = [];
      for (const t of tokens) out.push(await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } }));
      return out;
    } finally {
      await app.close();
    }
  };
  const token = (key: TestKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    mint(key, { iss: ISSUER, sub: 'u', aud: AUDIENCE, exp: NOW_S + 3600, ...claims }, header);

  it('no stale keys: after the cache lifetime a failed download refuses the token', async () => {
    const uri = server.serve('/stale', jwks(rsa));
    let now = Date.now();
    const app = await startApp(doc({ a: { issuer: ISSUER, jwks: uri, audiences: AUDIENCE } }), { compatibility: 'esp', now: () => now, tokenCacheSize: 0 });
    try {
      const t = await token(rsa);
      assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } })).status, 200);
      server.serve('/stale', 'down', { status: 503 });
      now += 299_000;
      assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } })).status, 200, 'still cached');
      now += 2_000;
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
      assert.equal(r.text, failed('Unable to fetch verification key. HTTP response code: 503'));
      assert.equal(r.status, 401);
    } finally {
      await app.close();
    }
  });

  it('the verified-token cache answers a repeated token without keys (min(exp, 300 s))', async () => {
    const uri = server.serve('/cached', jwks(rsa));
    let now = Date.now();
    const app = await startApp(doc({ a: { issuer: ISSUER, jwks: uri, audiences: AUDIENCE } }), { compatibility: 'esp', now: () => now });
    try {
      const t = await token(rsa, { exp: Math.floor(now / 1000) + 100 });
      assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } })).status, 200);
      const hits = server.count('/cached');
      now += 50_000;
      assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } })).status, 200);
      assert.equal(server.count('/cached'), hits);
      now += 100_000; // past exp but within the 60 s skew: the entry is gone, the token is checked again
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
      assert.equal(r.status, 200);
    } finally {
      await app.close();
    }
  });

  for (const [size, option] of [[100, {}], [1000, { tokenCacheSize: 1000 }]] as const) {
    it(`the verified-token cache holds ${size} tokens (${option.tokenCacheSize ? 'tokenCacheSize set' : "ESP v1's size by default"}): a key outage refuses only the ones it dropped`, async () => {
      const path = `/outage-${size}`;
      const uri = server.serve(path, jwks(rsa));
      let now = NOW_S * 1000;
      const app = await startApp(doc({ a: { issuer: ISSUER, jwks: uri, audiences: AUDIENCE } }), { compatibility: 'esp', now: () => now, ...option });
      const send = (t: string) => app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
      try {
        const tokens = await Promise.all(Array.from({ length: 101 }, (_, i) => token(rsa, { jti: `t${i}` })));
        assert.equal((await send(await token(rsa, { jti: 'warm' }))).status, 200); // the keys come now, good for 300 s
        now += 200_000; // the tokens verified from here on stay cached until 500 s
        for (const t of tokens) assert.equal((await send(t)).status, 200);
        assert.equal(server.count(path), 1);
        server.serve(path, 'down', { status: 503 });
        now += 101_000; // the keys are past their lifetime, and ESP v1 keeps none past it
        assert.equal((await send(tokens[100]!)).status, 200, 'the newest token is still cached');
        const oldest = await send(tokens[0]!);
        if (size === 100) assert.equal(oldest.text, failed('Unable to fetch verification key. HTTP response code: 503'));
        else assert.equal(oldest.status, 200, 'a cache of 1000 still holds the oldest token');
      } finally {
        await app.close();
      }
    });
  }

  for (const mode of ['esp', 'esp-1.32'] as const) {
    it(`${mode}: key documents that do not fit the token`, async () => {
      const paths = {
        text: server.serve('/k/text', 'not json'),
        nokeys: server.serve('/k/nokeys', { a: 1 }),
        notlist: server.serve('/k/notlist', { keys: {} }),
        empty: server.serve('/k/empty', { keys: [] }),
        hsjwks: server.serve('/k/hsjwks', jwks(hs)),
        hs: server.serve('/k/hs', base64url.encode(hs.privateKey as Uint8Array)),
        es: server.serve('/k/es', jwks(es)),
        e500: server.serve('/k/500', 'no', { status: 500 }),
      };
      const d = doc(Object.fromEntries(Object.entries(paths).map(([n, u]) => [n, { issuer: `https://${n}.test`, jwks: u, audiences: AUDIENCE }])));
      const r = await call(mode, d, [
        await token(rsa, { iss: 'https://text.test' }),
        await token(es, { iss: 'https://nokeys.test' }),
        await token(rsa, { iss: 'https://notlist.test' }),
        await token(rsa, { iss: 'https://empty.test' }),
        await token(hs, { iss: 'https://hsjwks.test' }),
        await token(hs, { iss: 'https://hs.test' }),
        await token(es, { iss: 'https://es.test' }),
        await token(rsa, { iss: 'https://e500.test' }),
      ]);
      const v = (v160: string, v132: string) => (mode === 'esp' ? v160 : v132);
      assert.equal(r[0]!.text, failed(v('Invalid JSON for public key', 'KEY_RETRIEVAL_ERROR')));
      assert.equal(r[1]!.text, failed(v('Invalid public key: keys field is missing.', 'KEY_RETRIEVAL_ERROR')));
      assert.equal(r[2]!.text, failed(v('Unexpected value type of keys property in jwks key set.', 'KEY_RETRIEVAL_ERROR')));
      assert.equal(r[3]!.text, failed(v('The jwks key set is empty', 'KEY_RETRIEVAL_ERROR')));
      assert.equal(r[4]!.text, failed(v('Invalid base64 encoded HS symmetric key. Most likely JWT alg is HS, but public key is ES or RSA.', 'KEY_RETRIEVAL_ERROR')));
      assert.equal(r[5]!.status, 200, 'HS: the whole document is the secret');
      assert.equal(r[6]!.status, 200, 'ES256 from a JWKS');
      assert.equal(r[7]!.text, failed('Unable to fetch verification key. HTTP response code: 500'));
    });

    it(`${mode}: OpenID discovery, and its failure remembered (for 30 s, see security/esp1-discovery)`, async () => {
      const good = server.url('/disc-good');
      server.serve('/disc-good/.well-known/openid-configuration', { jwks_uri: server.serve('/disc-keys', jwks(rsa)) });
      const bad = server.url(`/disc-bad-${mode}`);
      const unparsable = server.url(`/disc-junk-${mode}`);
      server.serve(`/disc-junk-${mode}/.well-known/openid-configuration`, { issuer: 'x' });
      const d = doc({ g: { issuer: good, audiences: AUDIENCE }, b: { issuer: bad, audiences: AUDIENCE }, j: { issuer: unparsable, audiences: AUDIENCE } });
      const r = await call(mode, d, [
        await token(rsa, { iss: good }),
        await token(rsa, { iss: bad }),
        await token(rsa, { iss: bad }),
        await token(rsa, { iss: unparsable }),
        await token(rsa, { iss: unparsable }),
      ]);
      assert.equal(r[0]!.status, 200);
      assert.equal(r[1]!.text, failed('Unable to fetch URI of the key via OpenID discovery. HTTP response code: 404'));
      assert.equal(r[2]!.text, failed('Cannot determine the URI of the key'));
      assert.equal(r[3]!.text, failed('Unable to parse URI of the key via OpenID discovery'));
      assert.equal(r[4]!.text, failed('Cannot determine the URI of the key'));
    });
  }

  it('issuers and audiences are compared stripped; audiences are not trimmed; schemes of one issuer merge', async () => {
    const uri = server.serve('/strip', jwks(rsa));
    const d = doc({
      a: { issuer: 'https://strip.test', jwks: uri, audiences: 'one, two' },
      b: { issuer: 'http://strip.test/', jwks: uri, audiences: 'https://three/' },
    });
    const r = await call('esp', d, [
      await token(rsa, { iss: 'strip.test/', aud: 'one' }),
      await token(rsa, { iss: 'https://strip.test', aud: ' two' }),
      await token(rsa, { iss: 'https://strip.test', aud: 'two' }),
      await token(rsa, { iss: 'https://strip.test', aud: 'http://three' }),
      await token(rsa, { iss: 'https://strip.test', aud: `https://${SERVICE}/` }),
    ]);
    assert.equal(r[0]!.status, 200, 'stripped issuer, one key cache whatever the spelling');
    assert.equal(r[1]!.status, 200, '" two" is an audience as written');
    assert.equal(r[2]!.text, esp1Body(7, 'JWT validation failed: Audience not allowed'));
    assert.equal(r[2]!.status, 403);
    assert.equal(r[3]!.status, 200, 'audiences of schemes sharing the issuer merge');
    assert.equal(r[4]!.status, 200, 'the service name is always an audience');
  });
});
