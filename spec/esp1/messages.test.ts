import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, fixture, ISSUER } from '../helpers/fixture.js';
import { esp1Body, startApp, type TestApp } from '../helpers/app.js';
import { makeKey } from '../helpers/keys.js';
import { b64, mint, NOW_S, rawToken } from '../helpers/tokens.js';

// One test per ESP v1 reason, in both generations: status, content type, WWW-Authenticate, body byte for byte.
const h = (o: unknown) => JSON.stringify(o);
const RS = h({ alg: 'RS256', typ: 'JWT' });
const claims = (o: Record<string, unknown> = {}) => h({ iss: ISSUER, sub: 'user-1', aud: AUDIENCE, exp: NOW_S + 3600, ...o });

describe('ESP v1 answers, v1.60 and v1.32', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  const apps: Record<'esp' | 'esp-1.32', TestApp> = {} as never;
  let other: Awaited<ReturnType<typeof makeKey>>;
  before(async () => {
    f = await fixture();
    other = await makeKey('RS256', { kid: f.key.kid });
    for (const mode of ['esp', 'esp-1.32'] as const) apps[mode] = await startApp(f.doc(), { compatibility: mode });
  });
  after(async () => {
    for (const app of Object.values(apps)) await app.close();
    await f.server.stop();
  });

  type Case = { name: string; token: () => Promise<string> | string; v160: string | null; v132: string; code?: number };
  const cases: Case[] = [
    { name: 'no dot at all', token: () => 'abc', v160: 'Bad JWT format: should have 2 dots', v132: 'BAD_FORMAT' },
    { name: 'header not base64url ("+")', token: () => `a+b.${b64(claims())}.c2ln`, v160: 'Bad JWT format: Invalid base64 in header', v132: 'BAD_FORMAT' },
    { name: 'header "{" (gRPC refuses it)', token: () => `e{J.${b64(claims())}.c2ln`, v160: 'Bad JWT format: Invalid base64 in header', v132: 'BAD_FORMAT' },
    { name: 'header not JSON', token: () => rawToken('{"alg":', claims()), v160: 'Bad JWT format: Invalid JSON in header', v132: 'BAD_FORMAT' },
    { name: 'alg absent', token: () => rawToken(h({ typ: 'JWT' }), claims()), v160: 'Missing alg field.', v132: 'BAD_FORMAT' },
    { name: 'alg a number', token: () => rawToken(h({ alg: 256 }), claims()), v160: 'Missing alg field.', v132: 'BAD_FORMAT' },
    { name: 'alg PS256 (not in ESP v1)', token: () => rawToken(h({ alg: 'PS256' }), claims()), v160: 'Failed to allocate memory.', v132: 'BAD_FORMAT' },
    { name: 'one dot only', token: () => `${b64(RS)}.${b64(claims())}`, v160: 'Bad JWT format: should have 2 dots', v132: 'BAD_FORMAT' },
    { name: 'claims not base64url', token: () => `${b64(RS)}.p/q.c2ln`, v160: 'Bad JWT format: Invalid base64 in claims', v132: 'BAD_FORMAT' },
    { name: 'claims not JSON', token: () => rawToken(RS, 'nope'), v160: 'Bad JWT format: Invalid JSON in claims', v132: 'BAD_FORMAT' },
    { name: 'iss a number', token: () => rawToken(RS, claims({ iss: 7 })), v160: 'Bad JWT format: invalid JWT claims; e.g. wrong data type, iss is not a string.', v132: 'BAD_FORMAT' },
    { name: 'iat 0', token: () => rawToken(RS, claims({ iat: 0 })), v160: 'Bad JWT format: invalid JWT claims; e.g. wrong data type, iss is not a string.', v132: 'BAD_FORMAT' },
    { name: 'exp 0.5 (strtol reads 0)', token: () => rawToken(RS, claims({ exp: 0.5 })), v160: 'Bad JWT format: invalid JWT claims; e.g. wrong data type, iss is not a string.', v132: 'BAD_FORMAT' },
    { name: 'iss absent', token: () => rawToken(RS, h({ sub: 'a', aud: AUDIENCE })), v160: 'Bad JWT format: invalid JWT claims; issuer is mssing but required.', v132: 'BAD_FORMAT' },
    { name: 'expired beyond 60 s', token: () => rawToken(RS, claims({ exp: NOW_S - 120 })), v160: 'TIME_CONSTRAINT_FAILURE', v132: 'TIME_CONSTRAINT_FAILURE' },
    { name: 'exp 1.7e9 reads as 1 (strtol)', token: () => rawToken(RS, `{"iss":"${ISSUER}","sub":"a","aud":"${AUDIENCE}","exp":1.7e12}`), v160: 'TIME_CONSTRAINT_FAILURE', v132: 'TIME_CONSTRAINT_FAILURE' },
    { name: 'not yet valid beyond 60 s', token: () => rawToken(RS, claims({ nbf: NOW_S + 120 })), v160: 'TIME_CONSTRAINT_FAILURE', v132: 'TIME_CONSTRAINT_FAILURE' },
    { name: 'e-mail issuer asserting another subject', token: () => rawToken(RS, claims({ iss: 'sa@project.iam.gserviceaccount.com', sub: 'someone' })), v160: 'UNKNOWN', v132: 'UNKNOWN' },
    { name: 'signature not base64url', token: () => `${b64(RS)}.${b64(claims())}.a+b`, v160: 'Bad JWT format: invalid base64 for signature', v132: 'BAD_FORMAT' },
    { name: 'empty signature', token: () => `${b64(RS)}.${b64(claims())}.`, v160: 'Bad JWT format: invalid base64 for signature', v132: 'BAD_FORMAT' },
    { name: 'ES256 signature of 10 bytes', token: () => rawToken(h({ alg: 'ES256' }), claims(), b64('0123456789')), v160: 'Bad JWT format: signature length is not correct', v132: 'BAD_SIGNATURE' },
    { name: 'aud absent', token: () => rawToken(RS, claims({ aud: undefined })), v160: 'Bad JWT format: missing audience field.', v132: 'BAD_FORMAT' },
    { name: 'aud a list without strings', token: () => rawToken(RS, claims({ aud: [1, 2] })), v160: 'Bad JWT format: missing audience field.', v132: 'BAD_FORMAT' },
    { name: 'sub absent (1.32 only)', token: () => rawToken(RS, claims({ sub: undefined, iss: 'https://elsewhere.test' })), v160: 'Issuer not allowed', v132: 'BAD_FORMAT' },
    { name: 'issuer not allowed', token: () => f.token({ iss: 'https://elsewhere.test' }), v160: 'Issuer not allowed', v132: 'Issuer not allowed' },
    { name: 'audience not allowed (403)', token: () => f.token({ aud: 'someone-else' }), v160: 'Audience not allowed', v132: 'Audience not allowed', code: 7 },
    { name: 'signed by another key with the same kid', token: () => mint(other, { iss: ISSUER, sub: 'u', aud: AUDIENCE, exp: NOW_S + 3600 }), v160: 'JWT signature verification failed.', v132: 'BAD_SIGNATURE' },
    { name: 'kid not in the JWKS', token: () => f.token({}, { kid: 'rotated-1' }), v160: 'Cannot find matching key in key set for kid=rotated-1', v132: 'KEY_RETRIEVAL_ERROR' },
    { name: 'no kid and no key verifies', token: () => mint(other, { iss: ISSUER, sub: 'u', aud: AUDIENCE }, { kid: undefined }), v160: 'The JWT cannot be validated with any of the public keys.', v132: 'BAD_SIGNATURE' },
  ];

  for (const c of cases) {
    for (const mode of ['esp', 'esp-1.32'] as const) {
      const reason = mode === 'esp' ? c.v160 : c.v132;
      it(`${mode}: ${c.name} -> ${reason}`, async () => {
        const r = await apps[mode].send('/v1/shelves', { headers: { authorization: `Bearer ${await c.token()}` } });
        const code = c.code ?? 16;
        assert.equal(r.text, esp1Body(code, `JWT validation failed: ${reason}`));
        assert.equal(r.status, code === 7 ? 403 : 401);
        assert.equal(r.headers.get('content-type'), 'application/json');
        assert.equal(r.headers.get('www-authenticate'), 'Bearer, error="invalid_token"');
      });
    }
  }

  for (const mode of ['esp', 'esp-1.32'] as const) {
    it(`${mode}: no token -> Missing or invalid credentials, WWW-Authenticate: Bearer`, async () => {
      const r = await apps[mode].send('/v1/shelves');
      assert.equal(r.status, 401);
      assert.equal(r.text, esp1Body(16, 'JWT validation failed: Missing or invalid credentials'));
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    });

    it(`${mode}: unknown path and unknown method -> 404 Method does not exist. (no 405)`, async () => {
      for (const [method, path] of [['GET', '/v1/nothing'], ['DELETE', '/v1/shelves']] as const) {
        const r = await apps[mode].send(path, { method, headers: { authorization: `Bearer ${await f.token()}` } });
        assert.equal(r.status, 404);
        assert.equal(r.text, esp1Body(5, 'Method does not exist.', 'service_control'));
        assert.equal(r.headers.get('www-authenticate'), null);
      }
    });

    it(`${mode}: OPTIONS that CORS does not allow -> 403, WWW-Authenticate: Bearer`, async () => {
      const r = await apps[mode].send('/v1/shelves', { method: 'OPTIONS', headers: { authorization: `Bearer ${await f.token()}` } });
      assert.equal(r.status, 403);
      assert.equal(r.text, esp1Body(7, 'The service does not allow CORS traffic.', 'service_control'));
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    });

    it(`${mode}: a valid token without exp passes (the guide is wrong there)`, async () => {
      const r = await apps[mode].send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ exp: undefined })}` } });
      assert.equal(r.status, 200);
      assert.equal(r.json.reached, true);
    });

    it(`${mode}: 60 s of skew both ways`, async () => {
      const t = await f.token({ exp: NOW_S - 30, nbf: NOW_S + 30 });
      const r = await apps[mode].send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
      assert.equal(r.status, 200);
    });
  }

  it('esp: the message is escaped as protobuf prints it (< and > as \\u003c, \\u003e)', async () => {
    const r = await apps.esp.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token({}, { kid: 'a<b>"c' })}` } });
    assert.ok(r.text.includes('\n "message": "JWT validation failed: Cannot find matching key in key set for kid=a\\u003cb\\u003e\\"c",\n'), r.text);
    assert.equal(r.json.message, 'JWT validation failed: Cannot find matching key in key set for kid=a<b>"c');
  });

  it('esp: sub is optional since v1.37', async () => {
    const r = await apps.esp.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ sub: undefined })}` } });
    assert.equal(r.status, 200);
  });

  it('esp-1.32: the same token without sub is BAD_FORMAT', async () => {
    const r = await apps['esp-1.32'].send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ sub: undefined })}` } });
    assert.equal(r.text, esp1Body(16, 'JWT validation failed: BAD_FORMAT'));
  });

  it('the e-mail rule lets a self-issued service-account token through to the issuer check', async () => {
    const iss = 'sa@project.iam.gserviceaccount.com';
    const r = await apps.esp.send('/v1/shelves', { headers: { authorization: `Bearer ${rawToken(RS, claims({ iss, sub: iss }))}` } });
    assert.equal(r.text, esp1Body(16, 'JWT validation failed: Issuer not allowed'));
  });

  it('ESPv2 is unchanged by the ESP v1 dialects', async () => {
    const app = await startApp(f.doc());
    try {
      const r = await app.send('/v1/shelves', { method: 'DELETE' });
      assert.equal(r.status, 405);
    } finally {
      await app.close();
    }
  });
});
