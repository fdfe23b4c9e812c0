import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { AUDIENCE, providersDoc } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { KeyServer } from '../helpers/key-server.js';
import { makeKey, type TestKey } from '../helpers/keys.js';
import { assertRefusal, bearer } from '../helpers/refusal.js';
import { b64, NOW_S } from '../helpers/tokens.js';
import { DEPARTURES } from '../../scripts/departures.js';

// Where espresso-jwt refuses, on purpose, what ESPv2's jwt_verify_lib accepts (scripts/departures.ts,
// shown in docs/security.md and docs/esp-compatibility.md): one real request per departure, each
// token signed so that jwt_verify_lib would let it through.
const FAILS = 'Jwt verification fails';

interface Keys {
  readonly rsa: TestKey;
  readonly ec256: TestKey;
  readonly hs: TestKey;
  /** An RSA key of 1024 bits, with its public JWK. */
  readonly rsa1024: { readonly privateKey: KeyObject; readonly jwk: object };
}

interface Departure {
  /** The key document of the case's provider. */
  readonly keys: (k: Keys) => unknown;
  /** The Authorization value, for a token of the given issuer. */
  readonly authorization: (k: Keys, iss: string) => string;
  readonly status: number;
  readonly message: string;
}

const payloadOf = (iss: string) => ({ iss, sub: 'u', aud: AUDIENCE, exp: NOW_S + 600 });
const privateOf = (key: TestKey) => (key.privateKey instanceof KeyObject ? key.privateKey : KeyObject.from(key.privateKey as CryptoKey));

/** A compact token over the given section texts, its signature made by `signer` over `header.payload`. */
function signed(header: object | string, payload: object | string, signer: (input: Buffer) => Buffer): string {
  const text = (s: object | string) => (typeof s === 'string' ? s : JSON.stringify(s));
  const input = `${b64(text(header))}.${b64(text(payload))}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}
const hmac = (key: TestKey) => (input: Buffer) => createHmac('sha256', key.privateKey as Uint8Array).update(input).digest();
const ecdsa = (key: TestKey, hash: string) => (input: Buffer) => sign(hash, input, { key: privateOf(key), dsaEncoding: 'ieee-p1363' });
const rsa256 = (key: KeyObject) => (input: Buffer) => sign('sha256', input, key);
const withoutAlg = (jwk: object) => Object.fromEntries(Object.entries(jwk).filter(([k]) => k !== 'alg'));

const CASES: Readonly<Record<string, Departure>> = {
  A1: {
    keys: (k) => ({ keys: [withoutAlg(k.hs.jwk)] }),
    authorization: (k, iss) => `Bearer ${signed({ alg: 'RS256', kid: k.hs.kid }, payloadOf(iss), hmac(k.hs))}`,
    status: 401,
    message: FAILS,
  },
  A2: {
    keys: (k) => ({ keys: [withoutAlg(k.ec256.jwk)] }),
    authorization: (k, iss) => `Bearer ${signed({ alg: 'ES384', kid: k.ec256.kid }, payloadOf(iss), ecdsa(k.ec256, 'sha384'))}`,
    status: 401,
    message: FAILS,
  },
  A3: {
    keys: (k) => ({ keys: [k.ec256.jwk] }),
    authorization: (k, iss) => `Bearer ${signed({ alg: 'ES256', kid: k.ec256.kid }, payloadOf(iss), (input) => Buffer.concat([ecdsa(k.ec256, 'sha256')(input), Buffer.from([0x42])]))}`,
    status: 401,
    message: FAILS,
  },
  A4: {
    keys: (k) => ({ keys: [k.rsa1024.jwk] }),
    authorization: (k, iss) => `Bearer ${signed({ alg: 'RS256', kid: 'rsa1024' }, payloadOf(iss), rsa256(k.rsa1024.privateKey))}`,
    status: 401,
    message: FAILS,
  },
  'PSS-SALT': {
    keys: (k) => ({ keys: [withoutAlg(k.rsa.jwk)] }),
    authorization: (k, iss) =>
      `Bearer ${signed({ alg: 'PS256', kid: k.rsa.kid }, payloadOf(iss), (input) => sign('sha256', input, { key: privateOf(k.rsa), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 0 }))}`,
    status: 401,
    message: FAILS,
  },
  A5: {
    keys: (k) => ({ keys: [k.rsa.jwk] }),
    authorization: (k, iss) => `Bearer ${signed({ alg: 'RS256', kid: k.rsa.kid, crit: ['exp'], exp: 1 }, payloadOf(iss), rsa256(privateOf(k.rsa)))}`,
    status: 401,
    message: FAILS,
  },
  A6: {
    keys: (k) => ({ keys: [k.rsa.jwk] }),
    authorization: (k, iss) => `Bearer ${signed({ alg: 'RS256', kid: k.rsa.kid }, payloadOf(iss), rsa256(privateOf(k.rsa)))} extra`,
    status: 401,
    message: 'Jwt signature is an invalid Base64url encoded',
  },
  B1: {
    keys: (k) => ({ keys: [k.rsa.jwk] }),
    authorization: (k, iss) => `Bearer ${signed({ alg: 'RS256', kid: k.rsa.kid }, `${JSON.stringify(payloadOf(iss)).slice(0, -1)},}`, rsa256(privateOf(k.rsa)))}`,
    status: 401,
    message: 'Jwt payload is an invalid JSON',
  },
};

describe("departures from ESPv2's jwt_verify_lib: stricter on purpose", () => {
  let server: KeyServer;
  let app: TestApp;
  let keys: Keys;
  const codes = Object.keys(CASES);
  const issuerOf = (code: string) => `https://${code.toLowerCase()}.test`;

  before(async () => {
    server = await new KeyServer().start();
    const [rsa, ec256, hs] = await Promise.all([makeKey('RS256', { kid: 'rsa' }), makeKey('ES256', { kid: 'ec256' }), makeKey('HS256', { kid: 'hs' })]);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    keys = { rsa, ec256, hs, rsa1024: { privateKey: small.privateKey, jwk: { ...small.publicKey.export({ format: 'jwk' }), kid: 'rsa1024' } } };
    const providers = codes.map((code) => ({ name: code, issuer: issuerOf(code), jwksUri: server.serve(`/keys/${code}`, JSON.stringify(CASES[code]!.keys(keys))) }));
    // B1 in a key document too: a trailing comma, which protobuf's legacy syntax accepts.
    const trailing = `{"keys":[${JSON.stringify(rsa.jwk)}],}`;
    providers.push({ name: 'B1keys', issuer: issuerOf('B1keys'), jwksUri: server.serve('/keys/B1keys', trailing) });
    app = await startApp(providersDoc(providers));
  });
  after(async () => {
    await app.close();
    await server.stop();
  });

  it('every documented departure has a case here', () => {
    assert.deepEqual(DEPARTURES.map((d) => d.code).sort(), [...codes].sort());
  });

  for (const d of DEPARTURES) {
    it(`${d.what} -> ${d.ours}`, async () => {
      const c = CASES[d.code]!;
      const r = await app.send(`/p/${d.code}`, { headers: { authorization: c.authorization(keys, issuerOf(d.code)) } });
      assertRefusal(r, app.base, `/p/${d.code}`, c.status, c.message);
      assert.ok(d.ours.includes(c.message.replace(/ (signature|header|payload) /, ' ... ')) || d.ours.includes(c.message), `docs say ${d.ours}`);
    });
  }

  it('protobuf legacy JSON in a key document (a trailing comma) -> 401 Jwks remote fetch is failed', async () => {
    const token = signed({ alg: 'RS256', kid: keys.rsa.kid }, payloadOf(issuerOf('B1keys')), rsa256(privateOf(keys.rsa)));
    assertRefusal(await app.send('/p/B1keys', { headers: bearer(token) }), app.base, '/p/B1keys', 401, 'Jwks remote fetch is failed');
  });
});
