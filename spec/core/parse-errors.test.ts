import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { b64, rawToken } from '../helpers/tokens.js';

// Every parse message of ESP-BEHAVIOR §3, over real HTTP, with status, body and WWW-Authenticate exact.
describe('ESPv2 parse errors, in jwt_verify_lib order', () => {
  let app: TestApp;
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    f = await fixture();
    app = await startApp(f.doc());
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  const h = (o: unknown) => JSON.stringify(o);
  const goodHeader = h({ alg: 'RS256', typ: 'JWT' });
  const goodPayload = h({ iss: 'x' });
  const cases: [string, () => string, string][] = [
    ['one section', () => 'abc', 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['empty signature (h.p.)', () => `${b64(goodHeader)}.${b64(goodPayload)}.`, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['four sections', () => `${rawToken(goodHeader, goodPayload)}.xyz`, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['header not base64url ("+")', () => `a+b.${b64(goodPayload)}.c2ln`, 'Jwt header is an invalid Base64url encoded'],
    ['header not JSON', () => rawToken('{"alg":', goodPayload), 'Jwt header is an invalid JSON'],
    ['header a JSON list', () => rawToken('["alg"]', goodPayload), 'Jwt header is an invalid JSON'],
    ['alg absent', () => rawToken(h({ typ: 'JWT' }), goodPayload), 'Jwt header [alg] field is required and must be a string'],
    ['alg a number', () => rawToken(h({ alg: 256 }), goodPayload), 'Jwt header [alg] field is required and must be a string'],
    ['alg none', () => rawToken(h({ alg: 'none' }), goodPayload), 'Jwt header [alg] is not supported'],
    ['alg lower case', () => rawToken(h({ alg: 'rs256' }), goodPayload), 'Jwt header [alg] is not supported'],
    ['kid a number', () => rawToken(h({ alg: 'RS256', kid: 7 }), goodPayload), 'Jwt header [kid] field is not a string'],
    ['payload not base64url', () => `${b64(goodHeader)}.p/q.c2ln`, 'Jwt payload is an invalid Base64url encoded'],
    ['payload not JSON', () => rawToken(goodHeader, 'not json'), 'Jwt payload is an invalid JSON'],
    ['iss not a string', () => rawToken(goodHeader, h({ iss: true })), 'Jwt payload [iss] field is not a string'],
    ['sub not a string', () => rawToken(goodHeader, h({ sub: 1 })), 'Jwt payload [sub] field is not a string'],
    ['iat a string', () => rawToken(goodHeader, h({ iat: '1' })), 'Jwt payload [iat] field is not an integer'],
    ['nbf negative', () => rawToken(goodHeader, h({ nbf: -1 })), 'Jwt payload [nbf] field is not a positive 64 bit integer'],
    ['exp too big', () => rawToken(goodHeader, '{"exp":2e20}'), 'Jwt payload [exp] field is not a positive 64 bit integer'],
    ['jti a number', () => rawToken(goodHeader, h({ jti: 5 })), 'Jwt payload [jti] field is not a string'],
    ['aud an object', () => rawToken(goodHeader, h({ aud: { a: 1 } })), 'Jwt payload [aud] field is not a string or string list'],
    ['aud a list with a number', () => rawToken(goodHeader, h({ aud: ['a', 1] })), 'Jwt payload [aud] field is not a string or string list'],
    ['signature not base64url', () => `${b64(goodHeader)}.${b64(goodPayload)}.a+b`, 'Jwt signature is an invalid Base64url encoded'],
  ];
  for (const [name, make, message] of cases) {
    it(`${name} -> ${message}`, async () => {
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${make()}` } });
      assert.equal(r.status, 401);
      assert.equal(r.text, espv2Body(401, message));
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.equal(r.headers.get('www-authenticate'), `Bearer realm="http://${new URL(app.base).host}/v1/shelves", error="invalid_token"`);
    });
  }

  it('h..p.s counts as three sections (empty sections are dropped)', async () => {
    const t = `${b64(goodHeader)}..${b64(h({ iss: 'someone-else' }))}.c2ln`;
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${t}` } });
    assert.equal(r.text, espv2Body(401, 'Jwt issuer is not configured'));
  });

  it('no token: 401 Jwt is missing, realm without error', async () => {
    const r = await app.send('/v1/shelves?x=1', { headers: { 'x-forwarded-proto': 'https', host: 'api.example.com' } });
    assert.equal(r.status, 401);
    assert.equal(r.text, espv2Body(401, 'Jwt is missing'));
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="https://api.example.com/v1/shelves?x=1"');
  });

  it('the realm path is cut to 256 characters', async () => {
    const long = `/v1/shelves?q=${'a'.repeat(400)}`;
    const r = await app.send(long, {});
    assert.equal(r.headers.get('www-authenticate'), `Bearer realm="http://${new URL(app.base).host}${long.slice(0, 256)}"`);
  });
});
