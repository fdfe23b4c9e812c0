import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, SignJWT, exportJWK } from 'jose';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { AUDIENCE, providersDoc } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { b64, mint, NOW_S, signSections } from '../helpers/tokens.js';
import { certKey as certKeyFor } from '../helpers/certs.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';

// Forged and malformed tokens, each refused with ESPv2's exact message. Providers: "strict" publishes
// keys that declare their alg (as Google's do), "loose" the same keys without alg, "ec" an ES256 key
// set of every curve. Every token carries valid claims unless the attack is about claims.
const TWO_DOTS = 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections';
const NOT_SUPPORTED = 'Jwt header [alg] is not supported';
const NO_KEY = "Jwks doesn't have key to match kid or alg from Jwt";
const FAILS = 'Jwt verification fails';

interface Keys {
  rsa: TestKey;
  rsaLoose: TestKey;
  ec256: TestKey;
  ec384: TestKey;
  ec521: TestKey;
  attacker: TestKey;
}

type Attack = [name: string, path: string, token: (k: Keys) => Promise<string> | string, status: number, message: string];

const claims = (iss: string, extra: Record<string, unknown> = {}) => ({ iss, sub: 'user-1', aud: AUDIENCE, exp: NOW_S + 600, ...extra });
const STRICT = 'https://strict.test';
const LOOSE = 'https://loose.test';
const EC = 'https://ec.test';
const json = JSON.stringify;

/** An unsigned or hand-signed token: header and payload as given, a made-up signature. */
const unsigned = (header: object, payload: object, signature = 'c2lnbmF0dXJl') => `${b64(json(header))}.${b64(json(payload))}.${signature}`;
/** HS256 with an arbitrary byte string as the secret (key confusion). */
const hs256With = (secret: Uint8Array, iss: string, header: Record<string, unknown>) =>
  new SignJWT(claims(iss)).setProtectedHeader({ alg: 'HS256', ...header } as { alg: string }).sign(secret);
const text = (s: string) => new TextEncoder().encode(s);
const withSignature = (token: string, signature: Buffer) => token.replace(/[^.]+$/, signature.toString('base64url'));

const algNone: Attack[] = ['none', 'None', 'NONE', 'nOnE', '', ' none', 'none ', 'none\u0000', 'RS256 ', 'rs256', 'HS256\u0000', 'ES256K', 'EdDSA25519'].map(
  (alg): Attack => [`alg ${json(alg)} with a signature`, '/p/strict', () => unsigned({ alg, typ: 'JWT' }, claims(STRICT)), 401, NOT_SUPPORTED],
);

const attacks: Attack[] = [
  ...algNone,
  ['alg none, empty signature (h.p.)', '/p/strict', () => `${b64(json({ alg: 'none' }))}.${b64(json(claims(STRICT)))}.`, 401, TWO_DOTS],
  ['alg none, no signature section (h.p)', '/p/strict', () => `${b64(json({ alg: 'none' }))}.${b64(json(claims(STRICT)))}`, 401, TWO_DOTS],
  ['alg null', '/p/strict', () => unsigned({ alg: null }, claims(STRICT)), 401, 'Jwt header [alg] field is required and must be a string'],
  ['alg ["none"]', '/p/strict', () => unsigned({ alg: ['none'] }, claims(STRICT)), 401, 'Jwt header [alg] field is required and must be a string'],

  // Key confusion: HS256 signed with a public key as the HMAC secret.
  ['HS256 with the RSA public PEM as secret, kid of the RSA key (declared RS256)', '/p/strict', (k) => hs256With(text(k.rsa.pem!), STRICT, { kid: k.rsa.kid }), 401, NO_KEY],
  ['HS256 with the RSA public PEM as secret, no kid', '/p/strict', (k) => hs256With(text(k.rsa.pem!), STRICT, {}), 401, NO_KEY],
  ['HS256 with the RSA public PEM as secret, key published without alg', '/p/loose', (k) => hs256With(text(k.rsaLoose.pem!), LOOSE, { kid: k.rsaLoose.kid }), 401, FAILS],
  ['HS256 with the RSA JWK text as secret, no kid, keys without alg', '/p/loose', (k) => hs256With(text(json(k.rsaLoose.jwk)), LOOSE, {}), 401, FAILS],
  ['HS256 with the RSA modulus bytes as secret, keys without alg', '/p/loose', (k) => hs256With(Buffer.from(k.rsaLoose.jwk.n!, 'base64url'), LOOSE, {}), 401, FAILS],
  ['HS256 with the EC public PEM as secret, kid of the EC key', '/p/ec', (k) => hs256With(text(k.ec256.pem!), EC, { kid: k.ec256.kid }), 401, NO_KEY],
  ['HS256 with the EC public PEM as secret, no kid', '/p/ec', (k) => hs256With(text(k.ec256.pem!), EC, {}), 401, NO_KEY],

  // CVE-2022-21449: ECDSA r = s = 0, raw (JOSE) and DER encodings.
  ['ES256 signature r=s=0 (64 zero bytes)', '/p/ec', async (k) => withSignature(await mint(k.ec256, claims(EC)), Buffer.alloc(64)), 401, FAILS],
  ['ES384 signature r=s=0 (96 zero bytes)', '/p/ec', async (k) => withSignature(await mint(k.ec384, claims(EC)), Buffer.alloc(96)), 401, FAILS],
  ['ES512 signature r=s=0 (132 zero bytes)', '/p/ec', async (k) => withSignature(await mint(k.ec521, claims(EC)), Buffer.alloc(132)), 401, FAILS],
  ['ES256 signature r=s=0, DER-encoded', '/p/ec', async (k) => withSignature(await mint(k.ec256, claims(EC)), Buffer.from('3006020100020100', 'hex')), 401, FAILS],
  ['ES256 signature r=s=n (the curve order)', '/p/ec', async (k) => {
    const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
    return withSignature(await mint(k.ec256, claims(EC)), Buffer.concat([n, n]));
  }, 401, FAILS],

  // Signature stripping and swapping.
  ['signature removed (h.p.)', '/p/strict', async (k) => (await mint(k.rsa, claims(STRICT))).replace(/[^.]+$/, ''), 401, TWO_DOTS],
  ['signature and its dot removed (h.p)', '/p/strict', async (k) => (await mint(k.rsa, claims(STRICT))).replace(/\.[^.]+$/, ''), 401, TWO_DOTS],
  ['signature replaced by one byte', '/p/strict', async (k) => withSignature(await mint(k.rsa, claims(STRICT)), Buffer.from([0])), 401, FAILS],
  ['signature "="', '/p/strict', async (k) => (await mint(k.rsa, claims(STRICT))).replace(/[^.]+$/, '='), 401, 'Jwt signature is an invalid Base64url encoded'],
  ['signature of another token of the same key', '/p/strict', async (k) => {
    const other = await mint(k.rsa, claims(STRICT, { sub: 'someone' }));
    return (await mint(k.rsa, claims(STRICT, { sub: 'admin' }))).replace(/[^.]+$/, other.split('.')[2]!);
  }, 401, FAILS],

  // kid path traversal and injection: never a file, URL or query; just a name no key has.
  ...['../../../../etc/passwd', '/dev/null', "' OR '1'='1", '../jwks', 'http://127.0.0.1:1/keys', '\u0000', '|cat /etc/passwd', '${jndi:ldap://127.0.0.1/a}', 'a'.repeat(4000)].map(
    (kid): Attack => [`kid ${json(kid.slice(0, 40))}`, '/p/strict', (k) => mint(k.attacker, claims(STRICT), { kid }), 401, NO_KEY],
  ),

  // crit and b64 (ours: a token that asks for an extension never verifies).
  ['crit ["exp"], signed by the real key', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid, crit: ['exp'], exp: 1 }), json(claims(STRICT))), 401, FAILS],
  ['crit [], signed by the real key', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid, crit: [] }), json(claims(STRICT))), 401, FAILS],
  ['crit ["b64"] with b64 false, signed by the real key', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid, b64: false, crit: ['b64'] }), json(claims(STRICT))), 401, FAILS],
  ['b64 false without crit, signed by the real key', '/p/strict', (k) => mint(k.rsa, claims(STRICT), { b64: false }), 401, FAILS],
  ['b64 false with a raw JSON payload', '/p/strict', (k) => `${b64(json({ alg: 'RS256', kid: k.rsa.kid, b64: false, crit: ['b64'] }))}.{"sub":"admin"}.c2ln`, 401, 'Jwt payload is an invalid Base64url encoded'],

  // Duplicate names (ours: parsers disagree on which wins, so the section is invalid JSON), signed by the real key.
  ['duplicate "alg" in the header', '/p/strict', (k) => signSections(k.rsa, `{"alg":"RS256","kid":"${k.rsa.kid}","alg":"none"}`, json(claims(STRICT))), 401, 'Jwt header is an invalid JSON'],
  ['duplicate "kid" in the header', '/p/strict', (k) => signSections(k.rsa, `{"alg":"RS256","kid":"x","kid":"${k.rsa.kid}"}`, json(claims(STRICT))), 401, 'Jwt header is an invalid JSON'],
  ['duplicate "iss" in the payload', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"https://evil.test","iss":"${STRICT}","aud":"${AUDIENCE}"}`), 401, 'Jwt payload is an invalid JSON'],
  ['duplicate "sub" written with an escape', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"${STRICT}","aud":"${AUDIENCE}","sub":"a","\\u0073ub":"admin"}`), 401, 'Jwt payload is an invalid JSON'],
  ['duplicate name in a nested claim', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"${STRICT}","aud":"${AUDIENCE}","roles":{"admin":false,"admin":true}}`), 401, 'Jwt payload is an invalid JSON'],

  // Claim types.
  ['exp a string', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { exp: String(NOW_S + 600) })), 401, 'Jwt payload [exp] field is not an integer'],
  ['exp negative', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { exp: -1 })), 401, 'Jwt payload [exp] field is not a positive 64 bit integer'],
  ['exp null', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { exp: null })), 401, 'Jwt payload [exp] field is not an integer'],
  ['exp true', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { exp: true })), 401, 'Jwt payload [exp] field is not an integer'],
  ['exp [1]', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { exp: [1] })), 401, 'Jwt payload [exp] field is not an integer'],
  ['exp NaN (not JSON)', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"${STRICT}","exp":NaN}`), 401, 'Jwt payload is an invalid JSON'],
  ['exp "NaN"', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { exp: 'NaN' })), 401, 'Jwt payload [exp] field is not an integer'],
  ['exp 1e309 (out of the double range: protobuf refuses the JSON)', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"${STRICT}","aud":"${AUDIENCE}","exp":1e309}`), 401, 'Jwt payload is an invalid JSON'],
  ['exp -1e309 (out of the double range)', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"${STRICT}","aud":"${AUDIENCE}","exp":-1e309}`), 401, 'Jwt payload is an invalid JSON'],
  ['exp 2^64', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"${STRICT}","aud":"${AUDIENCE}","exp":18446744073709551616}`), 401, 'Jwt payload [exp] field is not a positive 64 bit integer'],
  ['nbf 1e309 (out of the double range)', '/p/strict', (k) => signSections(k.rsa, json({ alg: 'RS256', kid: k.rsa.kid }), `{"iss":"${STRICT}","nbf":1e309}`), 401, 'Jwt payload is an invalid JSON'],
  ['aud an object', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { aud: { [AUDIENCE]: true } })), 401, 'Jwt payload [aud] field is not a string or string list'],
  ['aud a nested list', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { aud: [[AUDIENCE]] })), 401, 'Jwt payload [aud] field is not a string or string list'],
  ['aud null', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { aud: null })), 401, 'Jwt payload [aud] field is not a string or string list'],
  ['iss a list holding the issuer', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { iss: [STRICT] })), 401, 'Jwt payload [iss] field is not a string'],

  // Nested JWT: the payload is itself a token; it is never unwrapped.
  ['cty JWT, payload a whole inner token (signed by the real key)', '/p/strict', async (k) => {
    const inner = await mint(k.rsa, claims(STRICT, { sub: 'admin' }));
    return new CompactSign(text(inner)).setProtectedHeader({ alg: 'RS256', kid: k.rsa.kid, cty: 'JWT' }).sign(k.rsa.privateKey);
  }, 401, 'Jwt payload is an invalid JSON'],
  ['payload a JSON string holding a token', '/p/strict', async (k) => {
    const inner = await mint(k.rsa, claims(STRICT));
    return new CompactSign(text(json(inner))).setProtectedHeader({ alg: 'RS256', kid: k.rsa.kid }).sign(k.rsa.privateKey);
  }, 401, 'Jwt payload is an invalid JSON'],
  ['a forged outer token wrapping a valid inner one', '/p/strict', async (k) => unsigned({ alg: 'RS256', kid: k.rsa.kid, cty: 'JWT' }, claims(STRICT, { inner: await mint(k.rsa, claims(STRICT)) })), 401, FAILS],

  // Provider and audience confusion.
  ['a valid strict token on an operation that only accepts ec', '/p/ec', (k) => mint(k.rsa, claims(STRICT)), 401, 'Jwt issuer is not configured'],
  ['a strict-signed token claiming the ec issuer', '/p/ec', (k) => mint(k.rsa, claims(EC), { kid: k.ec256.kid }), 401, NO_KEY],
  ['a valid token for another audience', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { aud: 'another-api' })), 403, 'Audiences in Jwt are not allowed'],
  ['a valid token without aud', '/p/strict', (k) => mint(k.rsa, claims(STRICT, { aud: undefined })), 403, 'Audiences in Jwt are not allowed'],
];

describe('forged and malformed tokens', () => {
  let server: KeyServer;
  let app: TestApp;
  let k: Keys;

  before(async () => {
    server = await new KeyServer().start();
    const rsa = await makeKey('RS256');
    const jwkNoAlg = { ...rsa.jwk, alg: undefined };
    k = { rsa, rsaLoose: { ...rsa, jwk: jwkNoAlg }, ec256: await makeKey('ES256'), ec384: await makeKey('ES384'), ec521: await makeKey('ES512'), attacker: await makeKey('RS256') };
    app = await startApp(
      providersDoc([
        { name: 'strict', issuer: STRICT, jwksUri: server.serve('/strict', jwks(k.rsa)) },
        { name: 'loose', issuer: LOOSE, jwksUri: server.serve('/loose', { keys: [JSON.parse(json(jwkNoAlg))] }) },
        { name: 'ec', issuer: EC, jwksUri: server.serve('/ec', jwks(k.ec256, k.ec384, k.ec521)) },
      ]),
    );
  });
  after(async () => {
    await app.close();
    await server.stop();
  });

  it('the real keys do sign tokens that pass (the attacks below fail for their own reason)', async () => {
    assertReached(await app.send('/p/strict', { headers: bearer(await mint(k.rsa, claims(STRICT))) }));
    assertReached(await app.send('/p/loose', { headers: bearer(await mint(k.rsa, claims(LOOSE))) }));
    for (const key of [k.ec256, k.ec384, k.ec521]) assertReached(await app.send('/p/ec', { headers: bearer(await mint(key, claims(EC))) }));
    assertReached(await app.send('/p/strict', { headers: bearer(await mint(k.rsa, claims(STRICT), { b64: true })) }));
  });

  for (const [name, path, make, status, message] of attacks) {
    it(`${name} -> ${status} ${message}`, async () => {
      const r = await app.send(path, { headers: bearer(await make(k)) });
      assertRefusal(r, app.base, path, status, message);
    });
  }

  it('no kid ever reaches the key server as a path or query; unknown kids cause at most one refresh', async () => {
    const paths = [...server.hits.keys()].sort();
    assert.deepEqual(paths, ['/ec', '/loose', '/strict']);
    assert.ok(server.count('/strict') <= 2, `strict key set fetched ${server.count('/strict')} times`);
  });
});

// jku, x5u, x5c and jwk name or carry keys: none is ever fetched or used; only the provider's keys count.
describe('key-bearing headers are ignored', () => {
  let server: KeyServer;
  let attacker: KeyServer;
  let app: TestApp;
  let real: TestKey;
  let evil: TestKey;
  let certDer: string;
  let certKey: TestKey;

  before(async () => {
    server = await new KeyServer().start();
    attacker = await new KeyServer().start();
    real = await makeKey('RS256');
    evil = await makeKey('RS256', { kid: real.kid });
    const cert = await certKeyFor(1, real.kid);
    certKey = cert;
    certDer = cert.cert.replace(/-----[A-Z ]+-----|\s/g, '');
    attacker.serve('/jwks', jwks(evil));
    attacker.serve('/cert', cert.cert);
    app = await startApp(providersDoc([{ name: 'p', issuer: STRICT, jwksUri: server.serve('/jwks', jwks(real)) }]));
  });
  after(async () => {
    await app.close();
    await server.stop();
    await attacker.stop();
  });

  const cases: [string, () => Promise<string>][] = [
    ['jku pointing at an attacker key set', () => mint(evil, claims(STRICT), { jku: attacker.url('/jwks') })],
    ['x5u pointing at an attacker certificate', () => mint(certKey, claims(STRICT), { x5u: attacker.url('/cert') })],
    ['x5c carrying an attacker certificate', () => mint(certKey, claims(STRICT), { x5c: [certDer] })],
    ['jwk embedding the attacker public key', async () => mint(evil, claims(STRICT), { jwk: await exportJWK(evil.privateKey as CryptoKey).then(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub) })],
    ['all four at once', async () => mint(evil, claims(STRICT), { jku: attacker.url('/jwks'), x5u: attacker.url('/cert'), x5c: [certDer], jwk: { kty: 'oct', k: 'AAAA' } })],
  ];
  for (const [name, make] of cases) {
    it(`${name} -> 401 Jwt verification fails`, async () => assertRefusal(await app.send('/p/p', { headers: bearer(await make()) }), app.base, '/p/p', 401, FAILS));
  }
  it('the same headers on a token of the real key change nothing', async () =>
    assertReached(await app.send('/p/p', { headers: bearer(await mint(real, claims(STRICT), { jku: attacker.url('/jwks'), x5u: attacker.url('/cert'), x5c: [certDer] })) })));
  it('the attacker server was never contacted', () => assert.equal(attacker.total, 0));
});
