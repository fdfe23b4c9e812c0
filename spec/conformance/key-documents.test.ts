import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { AUDIENCE, providersDoc } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { certKey, type CertKey } from '../helpers/certs.js';
import { KeyServer } from '../helpers/key-server.js';
import { makeKey, type TestKey } from '../helpers/keys.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// Key documents as ESPv2 reads them (jwt_verify_lib's jwks.cc, protobuf's JSON reader): which keys it
// loads, skips, or refuses the whole document for. Each case is its own provider and key URL; a
// document ESPv2 refuses answers "Jwks remote fetch is failed".
const FAILED = 'Jwks remote fetch is failed';
const EC_CERT = readFileSync(new URL('../fixtures/x509/ec-p256.cert.pem', import.meta.url), 'utf8');

interface Case {
  readonly name: string;
  readonly doc: (k: Keys) => unknown;
  /** The token: the key that signs it, and header members over its own. */
  readonly token: (k: Keys) => [TestKey, Record<string, unknown>?];
  /** undefined: the request passes. */
  readonly refused?: string;
}
interface Keys {
  readonly rsa: TestKey;
  readonly ec256: TestKey;
  readonly ec384: TestKey;
  readonly hs: TestKey;
  readonly sa1: CertKey;
  readonly sa2: CertKey;
}

const without = (jwk: object, ...names: string[]) => Object.fromEntries(Object.entries(jwk).filter(([k]) => !names.includes(k)));
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const CASES: readonly Case[] = [
  // Keys jwt_verify_lib refuses to load: the document fails when no other key is usable.
  { name: 'an RSA key declaring alg ES256', doc: (k) => ({ keys: [{ ...k.rsa.jwk, alg: 'ES256' }] }), token: (k) => [k.rsa], refused: FAILED },
  { name: 'the same key beside a usable one', doc: (k) => ({ keys: [{ ...k.rsa.jwk, alg: 'ES256', kid: 'other' }, k.rsa.jwk] }), token: (k) => [k.rsa] },
  {
    name: 'an even RSA modulus',
    doc: (k) => {
      const n = Buffer.from(k.rsa.jwk.n!, 'base64url');
      n[n.length - 1]! &= 0xfe;
      return { keys: [{ ...k.rsa.jwk, n: n.toString('base64url') }] };
    },
    token: (k) => [k.rsa],
    refused: FAILED,
  },
  { name: 'an RSA modulus in standard base64 ("+" and "/")', doc: (k) => ({ keys: [{ ...k.rsa.jwk, n: standardBase64(k.rsa.jwk.n!) }] }), token: (k) => [k.rsa], refused: FAILED },
  { name: 'an empty oct "k"', doc: (k) => ({ keys: [{ ...k.hs.jwk, k: '' }] }), token: (k) => [k.hs], refused: FAILED },
  { name: 'an EC key whose alg and crv differ', doc: (k) => ({ keys: [{ ...k.ec256.jwk, alg: 'ES384' }] }), token: (k) => [k.ec256], refused: FAILED },
  // Keys jwt_verify_lib loads although a strict JOSE library would not.
  { name: 'an EC key with neither crv nor alg: P-256', doc: (k) => ({ keys: [without(k.ec256.jwk, 'crv', 'alg')] }), token: (k) => [k.ec256] },
  { name: 'an EC key without crv: the curve of its alg', doc: (k) => ({ keys: [without(k.ec384.jwk, 'crv')] }), token: (k) => [k.ec384] },
  { name: 'a kid that is a number is ignored: the key has no kid', doc: (k) => ({ keys: [{ ...k.rsa.jwk, kid: 7 }] }), token: (k) => [k.rsa, { kid: 'any' }] },
  { name: 'an alg that is not a string is ignored', doc: (k) => ({ keys: [{ ...k.rsa.jwk, alg: 256 }] }), token: (k) => [k.rsa] },
  {
    name: 'a private JWK is read as its public part',
    doc: (k) => ({ keys: [{ ...(k.rsa.privateKey as KeyObject).export({ format: 'jwk' }), kid: k.rsa.kid }] }),
    token: (k) => [k.rsa],
  },
  // JSON that protobuf's reader refuses.
  { name: '"keys" twice', doc: (k) => `{"keys":[],"keys":[${JSON.stringify(k.rsa.jwk)}]}`, token: (k) => [k.rsa], refused: FAILED },
  { name: 'a key naming "n" twice', doc: (k) => `{"keys":[${JSON.stringify(k.rsa.jwk).replace('"n":', '"n":"AQAB","n":')}]}`, token: (k) => [k.rsa], refused: FAILED },
  { name: 'a byte-order mark before the JSON', doc: (k) => `\ufeff${JSON.stringify({ keys: [k.rsa.jwk] })}`, token: (k) => [k.rsa], refused: FAILED },
  { name: 'a number beyond the double range', doc: (k) => `{"keys":[${JSON.stringify(k.rsa.jwk)}],"n":1e400}`, token: (k) => [k.rsa], refused: FAILED },
  { name: 'a lone surrogate escape', doc: (k) => `{"keys":[${JSON.stringify(k.rsa.jwk)}],"n":"\\ud800"}`, token: (k) => [k.rsa], refused: FAILED },
  { name: '101 levels of nesting', doc: (k) => `{"keys":[${JSON.stringify(k.rsa.jwk)}],"n":${nested(100)}}`, token: (k) => [k.rsa], refused: FAILED },
  { name: '100 levels of nesting', doc: (k) => `{"keys":[${JSON.stringify(k.rsa.jwk)}],"n":${nested(99)}}`, token: (k) => [k.rsa] },
  // Google's X.509 maps: recognised only when framed exactly, RSA only, one bad entry fails them all.
  { name: 'an X.509 map', doc: (k) => ({ [k.sa1.kid]: k.sa1.cert }), token: (k) => [k.sa1] },
  { name: 'an X.509 map with Windows line ends', doc: (k) => ({ [k.sa1.kid]: k.sa1.cert.replace(/\n/g, '\r\n') }), token: (k) => [k.sa1], refused: FAILED },
  { name: 'an X.509 map without the last newline', doc: (k) => ({ [k.sa1.kid]: k.sa1.cert.trimEnd() }), token: (k) => [k.sa1], refused: FAILED },
  { name: 'an X.509 map with an empty kid', doc: (k) => ({ '': k.sa1.cert }), token: (k) => [k.sa1, { kid: '' }], refused: FAILED },
  { name: 'an X.509 map holding an EC certificate', doc: (k) => ({ [k.sa1.kid]: k.sa1.cert, ec: EC_CERT }), token: (k) => [k.sa1], refused: FAILED },
  { name: 'two certificates in one value: the first is read', doc: (k) => ({ [k.sa2.kid]: k.sa2.cert + k.sa1.cert }), token: (k) => [k.sa2] },
  { name: 'two certificates in one value: the second is not', doc: (k) => ({ [k.sa2.kid]: k.sa2.cert + k.sa1.cert }), token: (k) => [k.sa1, { kid: k.sa2.kid }], refused: 'Jwt verification fails' },
];

/** The same number in standard base64: asserted to differ, so the case tests what it says. */
function standardBase64(b64url: string): string {
  const std = Buffer.from(b64url, 'base64url').toString('base64').replace(/=+$/, '');
  if (!/[+/]/.test(std)) throw new Error('this modulus has no "-" or "_" to turn into "+" or "/"; make another key');
  return std;
}

describe('key documents as ESPv2 reads them', () => {
  let server: KeyServer;
  let app: TestApp;
  let keys: Keys;
  const issuerOf = (i: number) => `https://case-${i}.test`;

  before(async () => {
    server = await new KeyServer().start();
    let rsa = await makeKey('RS256', { kid: 'rsa' });
    // A modulus whose base64url has a "-" or "_", so that its standard base64 differs (almost always).
    while (!/[-_]/.test(rsa.jwk.n!)) rsa = await makeKey('RS256', { kid: 'rsa' });
    const [ec256, ec384, hs, sa1, sa2] = await Promise.all([
      makeKey('ES256', { kid: 'ec256' }), makeKey('ES384', { kid: 'ec384' }), makeKey('HS256', { kid: 'hs' }), certKey(1, 'sa-1'), certKey(2, 'sa-2'),
    ]);
    keys = { rsa, ec256, ec384, hs, sa1, sa2 };
    const providers = CASES.map((c, i) => {
      const body = c.doc(keys);
      return { name: `case${i}`, issuer: issuerOf(i), jwksUri: server.serve(`/keys/${i}`, typeof body === 'string' ? body : JSON.stringify(body)) };
    });
    app = await startApp(providersDoc(providers));
  });
  after(async () => {
    await app.close();
    await server.stop();
  });

  CASES.forEach((c, i) => {
    it(`${c.name} -> ${c.refused ? `401 ${c.refused}` : 'passes'}`, async () => {
      const [key, header] = c.token(keys);
      const token = await mint(key, { iss: issuerOf(i), sub: 'u', aud: AUDIENCE, exp: NOW_S + 600 }, header);
      const r = await app.send(`/p/case${i}`, { headers: bearer(token) });
      if (c.refused) assertRefusal(r, app.base, `/p/case${i}`, 401, c.refused);
      else assertReached(r);
    });
  });
});
