import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, fixture, ISSUER } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { NOW_S } from '../helpers/tokens.js';

// ESP v1's X-Endpoint-API-UserInfo: padded base64url of {"claims":"<gRPC-written payload>",issuer,id,email,audiences}.
describe('ESP v1 user info', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  before(async () => {
    f = await fixture();
    app = await startApp(f.doc(), { compatibility: 'esp' });
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  it('carries claims, issuer, id, email and sorted audiences, in that order, padded', async () => {
    const claims = { iss: ISSUER, sub: 'user-1', aud: ['zeta', AUDIENCE, 'alpha', 'zeta'], exp: NOW_S + 3600, email: 'ana@example.com', name: 'Zoë "Z"' };
    const token = await f.token(claims);
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    const header: string = r.json.userinfo;
    assert.equal(header.length % 4, 0, 'padded to a multiple of 4');
    assert.match(header, /^[A-Za-z0-9_-]+=*$/);
    const text = Buffer.from(header, 'base64url').toString('utf8');
    assert.match(text, /^[\x20-\x7e]+$/, 'pure ASCII: gRPC escapes everything else');
    const info = JSON.parse(text);
    assert.deepEqual(Object.keys(info), ['claims', 'issuer', 'id', 'email', 'audiences']);
    assert.equal(info.issuer, ISSUER);
    assert.equal(info.id, 'user-1');
    assert.equal(info.email, 'ana@example.com');
    assert.deepEqual(info.audiences, ['alpha', AUDIENCE, 'zeta']);
    // The payload as gRPC writes it: key order kept, an aud list replaced by "", non-ASCII as \uXXXX.
    assert.equal(
      info.claims,
      `{"iss":"${ISSUER}","sub":"user-1","aud":"","iat":${NOW_S},"exp":${NOW_S + 3600},"email":"ana@example.com","name":"Zo\\u00eb \\"Z\\""}`,
    );
    assert.deepEqual(r.json.auth.audiences, ['zeta', AUDIENCE, 'alpha', 'zeta']);
  });

  it('leaves out empty members: no sub, no email, a string aud', async () => {
    const token = await f.token({ sub: undefined });
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
    const info = JSON.parse(Buffer.from(r.json.userinfo, 'base64url').toString('utf8'));
    assert.deepEqual(Object.keys(info), ['claims', 'issuer', 'audiences']);
    assert.deepEqual(info.audiences, [AUDIENCE]);
    assert.equal(JSON.parse(info.claims).aud, AUDIENCE);
  });

  it('a client-sent copy never reaches the backend, open operations included', async () => {
    const r = await app.send('/v1/public', { headers: { 'x-endpoint-api-userinfo': 'forged' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.userinfo, null);
    assert.deepEqual(r.json.rawUserinfo, []);
  });
});
