import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, fixture, ISSUER, SERVICE } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { NOW_S } from '../helpers/tokens.js';

// Issuer, time (60 s skew) and audience, in ESPv2's order, over HTTP.
describe('ESPv2 claim checks', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  let appDefaultAud: TestApp;
  const nowMs = NOW_S * 1000;
  before(async () => {
    f = await fixture();
    app = await startApp(f.doc(), { now: () => nowMs });
    const doc = f.doc();
    delete doc.securityDefinitions.issuer['x-google-audiences'];
    appDefaultAud = await startApp(doc, { now: () => nowMs });
  });
  after(async () => {
    await app.close();
    await appDefaultAud.close();
    await f.server.stop();
  });

  const call = async (a: TestApp, claims: Record<string, unknown>) =>
    a.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token(claims)}` } });
  const refused = (r: { status: number; text: string; headers: Headers }, status: number, message: string) => {
    assert.equal(r.status, status, r.text);
    assert.equal(r.text, espv2Body(status, message));
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/v1\/shelves", error="invalid_token"$/);
  };

  it('a valid token reaches the backend with req.auth and the payload segment as user info', async () => {
    const token = await f.token({ email: 'a@b.c' });
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    assert.equal(r.json.reached, true);
    assert.equal(r.json.userinfo, token.split('.')[1]);
    assert.deepEqual(r.json.auth, {
      operationId: 'listShelves',
      provider: 'issuer',
      issuer: ISSUER,
      audiences: [AUDIENCE],
      claims: { iss: ISSUER, sub: 'user-1', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 3600, email: 'a@b.c' },
      token,
    });
  });

  it('another issuer: Jwt issuer is not configured', async () => refused(await call(app, { iss: 'https://other.test' }), 401, 'Jwt issuer is not configured'));
  it('no iss: Jwt issuer is not configured', async () => refused(await call(app, { iss: undefined }), 401, 'Jwt issuer is not configured'));
  it('issuer is compared exactly (a trailing slash differs)', async () => refused(await call(app, { iss: `${ISSUER}/` }), 401, 'Jwt issuer is not configured'));

  it('nbf 60 s ahead passes, 61 s ahead is not yet valid', async () => {
    assert.equal((await call(app, { nbf: NOW_S + 60 })).status, 200);
    refused(await call(app, { nbf: NOW_S + 61 }), 401, 'Jwt not yet valid');
  });
  it('exp 60 s ago passes, 61 s ago is expired', async () => {
    assert.equal((await call(app, { exp: NOW_S - 60 })).status, 200);
    refused(await call(app, { exp: NOW_S - 61 }), 401, 'Jwt is expired');
  });
  it('exp absent or 0 is not checked; iat is not checked', async () => {
    assert.equal((await call(app, { exp: undefined })).status, 200);
    assert.equal((await call(app, { exp: 0 })).status, 200);
    assert.equal((await call(app, { iat: NOW_S + 99999 })).status, 200);
  });
  it('time comes before audience: an expired token for another audience is expired', async () =>
    refused(await call(app, { exp: NOW_S - 1000, aud: 'nobody' }), 401, 'Jwt is expired'));
  it('issuer comes before time', async () => refused(await call(app, { iss: 'x', exp: 1 }), 401, 'Jwt issuer is not configured'));

  it('audience not allowed: 403 with error="invalid_token"', async () => refused(await call(app, { aud: 'someone-else' }), 403, 'Audiences in Jwt are not allowed'));
  it('no aud: 403', async () => refused(await call(app, { aud: undefined }), 403, 'Audiences in Jwt are not allowed'));
  it('an aud list passes when any entry matches', async () => assert.equal((await call(app, { aud: ['x', AUDIENCE] })).status, 200));
  it('audiences compare with scheme and one trailing slash stripped', async () => {
    assert.equal((await call(app, { aud: `https://${AUDIENCE}/` })).status, 200);
    assert.equal((await call(app, { aud: `http://${AUDIENCE}` })).status, 200);
    refused(await call(app, { aud: `${AUDIENCE}//` }), 403, 'Audiences in Jwt are not allowed');
  });
  it('x-google-audiences replaces the default https://<service>', async () =>
    refused(await call(app, { aud: `https://${SERVICE}` }), 403, 'Audiences in Jwt are not allowed'));
  it('without x-google-audiences the default https://<service> matches SERVICE, https://SERVICE, http://SERVICE/', async () => {
    for (const aud of [SERVICE, `https://${SERVICE}`, `http://${SERVICE}/`]) assert.equal((await call(appDefaultAud, { aud })).status, 200, aud);
    refused(await call(appDefaultAud, { aud: AUDIENCE }), 403, 'Audiences in Jwt are not allowed');
  });
  it('the serviceName option overrides host for the default audience', async () => {
    const doc = f.doc();
    delete doc.securityDefinitions.issuer['x-google-audiences'];
    const other = await startApp(doc, { serviceName: 'other.service' });
    try {
      assert.equal((await call(other, { aud: 'https://other.service' })).status, 200);
      refused(await call(other, { aud: SERVICE }), 403, 'Audiences in Jwt are not allowed');
    } finally {
      await other.close();
    }
  });
  it('clockSkewSeconds changes the tolerance', async () => {
    const strict = await startApp(f.doc(), { now: () => nowMs, clockSkewSeconds: 0 });
    try {
      refused(await call(strict, { exp: NOW_S - 1 }), 401, 'Jwt is expired');
    } finally {
      await strict.close();
    }
  });
});
