import { after, before, describe, it } from 'node:test';
import { KeyServer } from '../helpers/key-server.js';
import { makeKey, type TestKey } from '../helpers/keys.js';
import { AUDIENCE, providersDoc, type ProviderSpec } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';

// jwt_verify_lib's verifyJwtWithoutTimeChecking: a key is skipped when both it and the token have a kid
// and they differ, or when the key declares another alg; no candidate left -> "Jwks doesn't have key to
// match kid or alg from Jwt"; candidates of which none verifies -> "Jwt verification fails".
const NO_KEY = "Jwks doesn't have key to match kid or alg from Jwt";
const FAILS = 'Jwt verification fails';

interface Case {
  readonly name: string;
  /** The provider's key set (public JWKs as published). */
  readonly set: (k: Keys) => object[];
  /** The signing key and header of the token. */
  readonly token: (k: Keys) => [TestKey, Record<string, unknown>];
  /** Undefined: the request passes. */
  readonly message?: string;
}

interface Keys {
  rsa: TestKey;
  rsa2: TestKey;
  rsaNoAlg: TestKey;
  ec: TestKey;
  hs: TestKey;
}

const cases: Case[] = [
  { name: 'kid and alg match', set: (k) => [k.rsa.jwk], token: (k) => [k.rsa, {}] },
  { name: 'kid not in the set', set: (k) => [k.rsa.jwk], token: (k) => [k.rsa, { kid: 'unknown' }], message: NO_KEY },
  { name: 'token without kid tries every key (second one verifies)', set: (k) => [k.rsa2.jwk, k.rsa.jwk], token: (k) => [k.rsa, { kid: undefined }] },
  { name: 'token without kid, no key verifies', set: (k) => [k.rsa2.jwk], token: (k) => [k.rsa, { kid: undefined }], message: FAILS },
  { name: 'key without kid is a candidate for any kid', set: (k) => [{ ...k.rsa.jwk, kid: undefined }], token: (k) => [k.rsa, { kid: 'anything' }] },
  { name: 'key declares another alg (RS384) under the same kid', set: (k) => [{ ...k.rsa.jwk, alg: 'RS384' }], token: (k) => [k.rsa, {}], message: NO_KEY },
  { name: 'key without alg serves its family', set: (k) => [k.rsaNoAlg.jwk], token: (k) => [k.rsaNoAlg, {}] },
  { name: 'key without alg of the wrong kty (EC key, RS256 token)', set: (k) => [{ ...k.ec.jwk, alg: undefined, kid: k.rsa.kid }], token: (k) => [k.rsa, {}], message: FAILS },
  { name: 'HS256 whose kid names a key declared RS256', set: (k) => [k.rsa.jwk], token: (k) => [k.hs, { kid: k.rsa.kid }], message: NO_KEY },
  { name: 'HS256 whose kid names an RSA key without alg', set: (k) => [k.rsaNoAlg.jwk], token: (k) => [k.hs, { kid: k.rsaNoAlg.kid }], message: FAILS },
  { name: 'ES256 without kid against RSA keys only (all declare RS256)', set: (k) => [k.rsa.jwk, k.rsa2.jwk], token: (k) => [k.ec, { kid: undefined }], message: NO_KEY },
  { name: 'the kid picks the right key among several of one alg', set: (k) => [k.rsa2.jwk, k.rsa.jwk, k.ec.jwk], token: (k) => [k.rsa, {}] },
];

describe('key selection by kid and alg', () => {
  let server: KeyServer;
  let app: TestApp;
  let k: Keys;

  before(async () => {
    server = await new KeyServer().start();
    k = {
      rsa: await makeKey('RS256'),
      rsa2: await makeKey('RS256'),
      rsaNoAlg: await makeKey('RS256', { jwkAlg: false }),
      ec: await makeKey('ES256'),
      hs: await makeKey('HS256'),
    };
    const providers: ProviderSpec[] = cases.map((c, i) => ({
      name: `c${i}`,
      issuer: `https://issuer-${i}.test`,
      jwksUri: server.serve(`/jwks/${i}`, { keys: c.set(k).map((j) => JSON.parse(JSON.stringify(j))) }),
    }));
    app = await startApp(providersDoc(providers), { unknownKidCooldownSeconds: 3600 });
  });
  after(async () => {
    await app.close();
    await server.stop();
  });

  cases.forEach((c, i) => {
    it(`${c.name} -> ${c.message ?? 'passes'}`, async () => {
      const [key, header] = c.token(k);
      const token = await mint(key, { iss: `https://issuer-${i}.test`, aud: AUDIENCE, exp: NOW_S + 600 }, header);
      const r = await app.send(`/p/c${i}`, { headers: bearer(token) });
      if (c.message) assertRefusal(r, app.base, `/p/c${i}`, 401, c.message);
      else assertReached(r);
    });
  });
});
