import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { makeKey, jwks } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// Operations, requirements and the OR of alternatives, as ESPv2 routes and checks them.
describe('routing and requirements', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  let other: Awaited<ReturnType<typeof makeKey>>;
  before(async () => {
    f = await fixture();
    other = await makeKey('ES256');
    const doc = f.doc();
    doc.securityDefinitions.partner = {
      type: 'oauth2', flow: 'implicit', authorizationUrl: '',
      'x-google-issuer': 'https://partner.test',
      'x-google-jwks_uri': f.server.serve('/partner', jwks(other)),
      'x-google-audiences': 'partner-aud',
    };
    doc.paths['/v1/shelves/{shelf}'].delete = { operationId: 'deleteShelf', security: [{ issuer: [] }, { partner: [] }], responses: {} };
    doc.paths['/v1/books/{book=**}'] = { get: { operationId: 'getBook', responses: {} } };
    app = await startApp(doc);
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('an undefined path: 404 The current request is not defined by this API. (no JWT check)', async () => {
    const r = await app.send('/v2/nothing', { headers: bearer('garbage') });
    assert.equal(r.status, 404);
    assert.equal(r.text, espv2Body(404, 'The current request is not defined by this API.'));
    assert.equal(r.headers.get('www-authenticate'), null);
  });
  it('a defined path with an undefined method: 405 naming the template as written', async () => {
    const r = await app.send('/v1/shelves/7', { method: 'PUT' });
    assert.equal(r.status, 405);
    assert.equal(r.text, espv2Body(405, 'The current request is matched to the defined url template "/v1/shelves/{shelf}" but its http method is not allowed'));
  });
  it('OPTIONS without allowCors is a 405 too', async () => {
    assert.equal((await app.send('/v1/shelves', { method: 'OPTIONS' })).status, 405);
  });
  it('security: [] turns auth off for that operation', async () => {
    const r = await app.send('/v1/public');
    assert.equal(r.status, 200);
    assert.equal(r.json.auth, null);
  });
  it('query strings and a trailing / are matched as Express matches them; escapes and // are compared as sent', async () => {
    const t = await f.token();
    for (const path of ['/v1/shelves?x=1', '/v1/shelves/']) {
      assert.equal((await app.send(path, { headers: bearer(t) })).status, 200, path);
    }
    // Express's router neither decodes %73 nor merges //: neither is /v1/shelves to it, so not to us.
    for (const path of ['//v1//shelves', '/v1/%73helves']) {
      assert.equal((await app.send(path, { headers: bearer(t) })).status, 404, path);
    }
    assert.equal((await app.send('/v1/shelves/a%2Fb', { headers: bearer(t) })).json.auth.operationId, 'getShelf');
    assert.equal((await app.send('/v1/books/a/b/c', { headers: bearer(t) })).json.auth.operationId, 'getBook');
    assert.equal((await app.send('/V1/SHELVES', { headers: bearer(t) })).status, 404, 'matching is case sensitive, as in ESP');
  });
  it('per-operation security replaces the top-level one; OR: either provider passes', async () => {
    const partnerToken = await mint(other, { iss: 'https://partner.test', aud: 'partner-aud', exp: NOW_S + 60 });
    const viaPartner = await app.send('/v1/shelves/1', { method: 'DELETE', headers: bearer(partnerToken) });
    assert.equal(viaPartner.status, 200);
    assert.equal(viaPartner.json.auth.provider, 'partner');
    assert.equal((await app.send('/v1/shelves/1', { method: 'DELETE', headers: bearer(await f.token()) })).json.auth.provider, 'issuer');
    // The partner token is not accepted where only "issuer" is required.
    const r = await app.send('/v1/shelves', { headers: bearer(partnerToken) });
    assert.equal(r.text, espv2Body(401, 'Jwt issuer is not configured'));
  });
  it('OR: the reported error is the last real one; unknown issuer only when nothing else', async () => {
    const wrongAud = await f.token({ aud: 'nope' });
    const r = await app.send('/v1/shelves/1', { method: 'DELETE', headers: bearer(wrongAud) });
    assert.equal(r.text, espv2Body(403, 'Audiences in Jwt are not allowed'));
    const stranger = await mint(other, { iss: 'https://stranger.test', aud: 'x' });
    assert.equal((await app.send('/v1/shelves/1', { method: 'DELETE', headers: bearer(stranger) })).text, espv2Body(401, 'Jwt issuer is not configured'));
    assert.equal((await app.send('/v1/shelves/1', { method: 'DELETE' })).text, espv2Body(401, 'Jwt is missing'));
  });
  it('x-http-method-override is applied before matching', async () => {
    const r = await app.send('/v1/public', { method: 'GET', headers: { 'x-http-method-override': 'POST' } });
    assert.equal(r.status, 405);
    const d = await app.send('/v1/shelves/1', { method: 'POST', headers: { 'x-http-method-override': 'DELETE' } });
    assert.equal(d.text, espv2Body(401, 'Jwt is missing'));
  });
});

describe('x-google-allow: all and allowCors', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  before(async () => {
    f = await fixture();
    app = await startApp({ ...f.doc(), 'x-google-allow': 'all', 'x-google-endpoints': [{ name: 'x', allowCors: true }] });
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });
  it('undefined paths and methods pass unchecked', async () => {
    assert.equal((await app.send('/anything/else')).status, 200);
    assert.equal((await app.send('/v1/shelves/1', { method: 'PATCH' })).status, 200);
  });
  it('defined operations are still guarded', async () => {
    assert.equal((await app.send('/v1/shelves')).text, espv2Body(401, 'Jwt is missing'));
  });
  it('a path that differs from a template only by case is held to that operation (Express routes it there)', async () => {
    assert.equal((await app.send('/V1/Shelves')).text, espv2Body(401, 'Jwt is missing'));
  });
  it('allowCors: OPTIONS on a defined path passes without a token', async () => {
    const r = await app.send('/v1/shelves', { method: 'OPTIONS', headers: { origin: 'https://x.test' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.auth, null);
  });
});

describe('allowCors without x-google-allow', () => {
  it('OPTIONS passes on defined paths only', async () => {
    const f = await fixture();
    const app = await startApp({ ...f.doc(), 'x-google-endpoints': [{ name: 'x', allowCors: true }] });
    try {
      assert.equal((await app.send('/v1/shelves', { method: 'OPTIONS' })).status, 200);
      assert.equal((await app.send('/v9/none', { method: 'OPTIONS' })).status, 404);
    } finally {
      await app.close();
      await f.server.stop();
    }
  });
});

