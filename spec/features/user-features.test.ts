import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';

// What ESP's users asked for (issue 14), each opt-in through the document or an option.
describe('optional authentication: an empty requirement object', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  before(async () => {
    f = await fixture();
    const doc = f.doc();
    doc.paths['/v1/shelves'].get.security = [{}, { issuer: [] }];
    app = await startApp(doc);
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });
  it('no token: passes with no req.auth and no user-info header', async () => {
    const r = await app.send('/v1/shelves', { headers: { 'x-endpoint-api-userinfo': 'forged' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.auth, null);
    assert.equal(r.json.userinfo, null);
  });
  it('a valid token: passes with req.auth', async () => {
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token()}` } });
    assert.equal(r.json.auth.provider, 'issuer');
  });
  it('an invalid token is refused, as ESPv2 allow_missing does', async () => {
    const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ exp: 1 })}` } });
    assert.equal(r.text, espv2Body(401, 'Jwt is expired'));
  });
});

describe('scopes listed in a requirement', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let enforce: TestApp;
  let ignore: TestApp;
  before(async () => {
    f = await fixture();
    const doc = f.doc();
    doc.paths['/v1/shelves'].get.security = [{ issuer: ['read:shelves', 'list'] }];
    enforce = await startApp(doc);
    ignore = await startApp(doc, { scopes: 'ignore' });
  });
  after(async () => {
    await enforce.close();
    await ignore.close();
    await f.server.stop();
  });
  const call = async (a: TestApp, claims: Record<string, unknown>) =>
    a.send('/v1/shelves?q=1', { headers: { authorization: `Bearer ${await f.token(claims)}`, host: 'api.test' } });
  it('all scopes present in "scope" (space separated) or "scp" (list): passes', async () => {
    assert.equal((await call(enforce, { scope: 'list read:shelves write' })).status, 200);
    assert.equal((await call(enforce, { scp: ['read:shelves', 'list'] })).status, 200);
  });
  it('a missing scope: 403 naming it, with RFC 6750 insufficient_scope', async () => {
    const r = await call(enforce, { scope: 'list' });
    assert.equal(r.status, 403);
    assert.equal(r.text, espv2Body(403, 'Jwt is missing the scopes this operation requires: read:shelves'));
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="http://api.test/v1/shelves?q=1", error="insufficient_scope", scope="read:shelves"');
  });
  it("scopes: 'ignore' does what ESP does", async () => {
    assert.equal((await call(ignore, { scope: '' })).status, 200);
  });
});

describe('cookie token locations', () => {
  it('reads the token from the named cookie, nothing else', async () => {
    const f = await fixture();
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-jwt-locations'] = [{ cookie: 'session' }];
    const app = await startApp(doc);
    try {
      const token = await f.token();
      assert.equal((await app.send('/v1/shelves', { headers: { cookie: `theme=dark; session=${token}` } })).status, 200);
      assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } })).text, espv2Body(401, 'Jwt is missing'));
      assert.equal((await app.send('/v1/shelves', { headers: { cookie: 'session=abc' } })).text,
        espv2Body(401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'));
    } finally {
      await app.close();
      await f.server.stop();
    }
  });
});

describe('userInfoPadding', () => {
  it('pads X-Endpoint-API-UserInfo so that strict base64 decoders accept it', async () => {
    const f = await fixture();
    const app = await startApp(f.doc(), { userInfoPadding: true });
    try {
      // Pick a payload whose base64url length is not a multiple of 4.
      let token = await f.token({ n: 'x' });
      for (let i = 0; token.split('.')[1]!.length % 4 === 0; i++) token = await f.token({ n: 'x'.repeat(i + 2) });
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
      const info: string = r.json.userinfo;
      assert.equal(info.length % 4, 0);
      assert.ok(info.endsWith('='));
      // Decoded with the standard alphabet, the padded value gives back the claims.
      const standard = info.replace(/-/g, '+').replace(/_/g, '/');
      assert.deepEqual(JSON.parse(Buffer.from(atob(standard), 'latin1').toString('utf8')), r.json.auth.claims);
    } finally {
      await app.close();
      await f.server.stop();
    }
  });
});
