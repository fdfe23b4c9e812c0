import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDevIssuer, endpointsAuth } from '../../lib/index.js';
import { bookstore } from '../helpers/fixture.js';

// The development issuer that the demo, the CLI's `token` and users' own tests start: a real key
// server on 127.0.0.1 whose tokens the middleware accepts, and options refused before anything starts.
describe('createDevIssuer', () => {
  it('serves a key set the middleware downloads and verifies its tokens with', async () => {
    const issuer = await createDevIssuer({ issuer: 'https://issuer.test' });
    const auth = endpointsAuth(bookstore(issuer.jwksUri));
    try {
      await auth.ready();
      const token = await issuer.sign({ sub: 'alice', aud: 'shelves-client' });
      const r = await auth.check({ method: 'GET', url: '/v1/shelves', headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.ok, true, r.ok ? '' : r.error.message);
      // The published set holds the public half only.
      assert.deepEqual(Object.keys(issuer.jwks.keys[0]!).filter((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].includes(k)), []);
    } finally {
      auth.close();
      await issuer.close();
    }
  });

  const plain = (options: Record<string, unknown>) => options as never;
  for (const [name, options, message] of [
    ['a misspelt option', { isuer: 'x' }, /createDevIssuer has no option isuer \(it takes issuer, port, privateJwk\)/],
    ['a port that is no port', { port: 'abc' }, /option port must be a whole number from 0 to 65535/],
    ['a port out of range', { port: 70000 }, /option port must be a whole number from 0 to 65535/],
    ['a secret key, whose key set would publish it', { privateJwk: { kty: 'oct', k: 'AAAA' } }, /option privateJwk must be a private RSA JWK/],
    ['a public key, which cannot sign', { privateJwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }, /option privateJwk must be a private RSA JWK/],
    ['an issuer that is no string', { issuer: 5 }, /option issuer must be a non-empty string/],
    ['an empty issuer', { issuer: '' }, /option issuer must be a non-empty string/],
  ] as const) {
    it(`refuses ${name} with a TypeError, starting nothing`, async () => {
      await assert.rejects(createDevIssuer(plain(options)), (e: unknown) => e instanceof TypeError && message.test(e.message));
    });
  }

  it("refuses a private key whose published half is another key's, or too short for RS256, before serving anything", async () => {
    const a = await createDevIssuer();
    const b = await createDevIssuer();
    await Promise.all([a.close(), b.close()]);
    const mixed = { ...a.privateJwk, n: b.privateJwk.n };
    await assert.rejects(createDevIssuer({ privateJwk: mixed }), (e: unknown) => e instanceof TypeError && /privateJwk cannot sign tokens its own key set verifies/.test(e.message));
    const { generateKeyPairSync } = await import('node:crypto');
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' });
    await assert.rejects(createDevIssuer({ privateJwk: short as never }), (e: unknown) => e instanceof TypeError && /privateJwk cannot sign/.test(e.message));
    // A key reused from an earlier run still works.
    const again = await createDevIssuer({ privateJwk: a.privateJwk });
    await again.close();
  });
});
