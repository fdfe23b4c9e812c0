import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bookstore, fixture, SERVICE } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { endpointsAuth, SpecError } from '../../lib/index.js';

const API_KEY_MISSING =
  "UNAUTHENTICATED: Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const OTHER_ISSUER = 'https://other.test';
const ok = { responses: { 200: { description: 'ok' } } };

// Endpoints' reading and the OpenAPI reading of `security`, combined: a request passes only when both accept it.
describe('requirements: both readings, x-security, API keys, x-google-allow', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let other: TestKey;
  let app: TestApp;
  let token: string;
  let otherToken: string;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  before(async () => {
    f = await fixture();
    other = await makeKey('ES256');
    const otherJwks = f.server.serve('/other-jwks', jwks(other));
    token = await f.token();
    otherToken = await mint(other, { iss: OTHER_ISSUER, sub: 'u2', aud: `https://${SERVICE}`, exp: NOW_S + 3600 });
    const doc = bookstore(f.jwksUri);
    doc.securityDefinitions.other = {
      type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': OTHER_ISSUER, 'x-google-jwks_uri': otherJwks,
      'x-google-jwt-locations': [{ header: 'X-Other-Token' }],
    };
    doc.securityDefinitions.any_key = { type: 'apiKey' };
    doc.securityDefinitions.header_key = { type: 'apiKey', in: 'header', name: 'X-Goog-Api-Key' };
    Object.assign(doc.paths, {
      '/optional': { get: { operationId: 'optional', security: [{}, { issuer: [] }], ...ok } },
      '/both': { get: { operationId: 'both', security: [{ issuer: [], other: [] }], ...ok } },
      '/legacy': { get: { operationId: 'legacy', 'x-security': [{ other: { audiences: ['legacy-aud'] } }], ...ok } },
      '/defaults': { get: { operationId: 'defaults', security: [{ any_key: [] }], ...ok } },
      '/header-key': { get: { operationId: 'headerKey', security: [{ header_key: [] }], ...ok } },
      '/scoped': { get: { operationId: 'scoped', security: [{ issuer: ['shelves.read'] }], ...ok } },
    });
    app = await startApp(doc, { apiKey: 'presence' });
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  it('[{}, {jwt}]: optional auth (ours, issue 14): no token passes anonymously, a token must be valid', async () => {
    const r = await app.send('/optional');
    assert.equal(r.status, 200);
    assert.equal(r.json.auth, null);
    assert.equal((await app.send('/optional', { headers: bearer(token) })).json.auth.operationId, 'optional');
    assert.equal((await app.send('/optional', { headers: bearer('not.a.token') })).status, 401);
  });

  it('[{jwt1, jwt2}]: both tokens are required (OpenAPI AND), each in its own location', async () => {
    const one = await app.send('/both', { headers: bearer(token) });
    assert.equal(one.text, espv2Body(401, 'Jwt is missing'));
    const two = await app.send('/both', { headers: { ...bearer(token), 'x-other-token': otherToken } });
    assert.equal(two.status, 200);
    assert.equal(two.json.auth.provider, 'issuer');
  });

  it('x-security alone replaces the top-level providers for Endpoints, with its own audiences; the top-level security still holds for OpenAPI', async () => {
    // The top-level provider's token does not do: Endpoints gives this operation only `other`...
    const mine = await app.send('/legacy', { headers: { ...bearer(token), 'x-other-token': otherToken } });
    assert.equal(mine.text, espv2Body(403, 'Audiences in Jwt are not allowed'));
    // ...whose audiences here are x-security's, not the default https://<service>.
    const t = await mint(other, { iss: OTHER_ISSUER, sub: 'u2', aud: 'legacy-aud', exp: NOW_S + 3600 });
    const r = await app.send('/legacy', { headers: { ...bearer(token), 'x-other-token': t } });
    assert.equal(r.status, 200);
    // Endpoints' reading alone would pass on `other`; the inherited top-level security asks for `issuer` too.
    assert.equal((await app.send('/legacy', { headers: { 'x-other-token': t } })).text, espv2Body(401, 'Jwt is missing'));
  });

  it('an apiKey scheme without in/name reads ESPv2\'s defaults: query key, query api_key, header x-api-key', async () => {
    assert.equal((await app.send('/defaults')).text, espv2Body(401, API_KEY_MISSING));
    for (const init of [{ path: '/defaults?key=k' }, { path: '/defaults?api_key=k' }, { path: '/defaults', headers: { 'x-api-key': 'k' } }]) {
      const r = await app.send(init.path, { headers: init.headers ?? {} });
      assert.equal(r.status, 200, init.path);
    }
  });

  it('an apiKey scheme in a header reads that header only', async () => {
    assert.equal((await app.send('/header-key?key=k')).text, espv2Body(401, API_KEY_MISSING));
    assert.equal((await app.send('/header-key', { headers: { 'x-goog-api-key': 'k' } })).status, 200);
  });

  it('scopes in a requirement are checked (403 when missing)', async () => {
    const r = await app.send('/scoped', { headers: bearer(token) });
    assert.equal(r.status, 403);
    const scoped = await f.token({ scope: 'shelves.read other' });
    assert.equal((await app.send('/scoped', { headers: bearer(scoped) })).status, 200);
  });

  it('x-http-method-override: the overridden method\'s requirement applies', async () => {
    const r = await app.send('/v1/public', { method: 'POST', headers: { 'x-http-method-override': 'GET' } });
    assert.equal(r.status, 200);
    const refused = await app.send('/v1/shelves', { method: 'GET', headers: { 'x-http-method-override': 'POST' } });
    assert.equal(refused.text, espv2Body(401, 'Jwt is missing'));
  });
});

describe('API keys at start-up', () => {
  const doc = () => {
    const d = bookstore('https://keys.invalid/jwks');
    d.securityDefinitions.api_key = { type: 'apiKey', in: 'query', name: 'key' };
    d.paths['/v1/shelves'].post.security = [{ issuer: [], api_key: [] }];
    return d;
  };

  it('a document that needs keys is refused without the apiKey option, saying so', () => {
    assert.throws(() => endpointsAuth(doc()), (e: unknown) => {
      assert.ok(e instanceof SpecError);
      assert.deepEqual(e.problems.map((p) => p.path), ['$.paths["/v1/shelves"].post']);
      assert.match(e.message, /requires an API key \(1 operation does\): pass the apiKey option to check keys, or apiKey: 'presence'/);
      return true;
    });
  });

  it("apiKey: 'presence' accepts it", () => {
    endpointsAuth(doc(), { apiKey: 'presence' }).close();
  });
});

describe('x-google-allow: all', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  before(async () => {
    f = await fixture();
    app = await startApp({ ...f.doc(), 'x-google-allow': 'all' });
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  it('undefined paths and methods pass unchecked; defined operations are still guarded', async () => {
    assert.equal((await app.send('/nowhere')).json.reached, true);
    assert.equal((await app.send('/v1/shelves', { method: 'DELETE' })).json.reached, true);
    assert.equal((await app.send('/v1/shelves')).text, espv2Body(401, 'Jwt is missing'));
    // Express routes case-insensitively, so a path that differs only by case is held to the operation.
    assert.equal((await app.send('/V1/Shelves')).text, espv2Body(401, 'Jwt is missing'));
  });
});
