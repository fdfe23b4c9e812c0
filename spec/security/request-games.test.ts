import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { assertReached, assertRefusal } from '../helpers/refusal.js';

// What a client can play with around a token: the Bearer prefix, several tokens in several places, and
// a forged X-Endpoint-API-UserInfo. Expected answers follow Envoy's extractor (prefix case sensitive,
// anywhere in the value, token from the first base64url character; every extracted token verified).
const MISSING = 'Jwt is missing';
const PATH = '/v1/shelves';

describe('request games', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  let good: string;
  let expired: string;
  let forged: string;
  before(async () => {
    f = await fixture();
    app = await startApp(f.doc());
    good = await f.token();
    expired = await f.token({ exp: 1000 });
    forged = (await f.token({ sub: 'admin' })).replace(/[^.]+$/, 'c2lnbmF0dXJl');
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  // Node trims the optional white space around a header value before any middleware sees it.
  const bearerGames: [string, (t: string) => string, string | undefined][] = [
    ['"bearer " (lower case)', (t) => `bearer ${t}`, MISSING],
    ['"BEARER "', (t) => `BEARER ${t}`, MISSING],
    ['"Bearer\\t" (tab instead of space)', (t) => `Bearer\t${t}`, MISSING],
    ['"Bearer" glued to the token', (t) => `Bearer${t}`, MISSING],
    ['"Bearer" alone', () => 'Bearer', MISSING],
    ['"Bearer " alone (Node trims the space)', () => 'Bearer ', MISSING],
    ['"Bearer  " + token (two spaces)', (t) => `Bearer  ${t}`, undefined],
    ['leading spaces before "Bearer"', (t) => `   Bearer ${t}`, undefined],
    ['trailing spaces after the token', (t) => `Bearer ${t}   `, undefined],
    ['another scheme first, then "Bearer "', (t) => `Basic dXNlcjpwYXNz, Bearer ${t}`, undefined],
    ['junk glued after the token', (t) => `Bearer ${t}!x`, 'Jwt signature is an invalid Base64url encoded'],
    ['a second token after the first, comma separated', (t) => `Bearer ${t}, Bearer ${t}`, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['"Bearer Bearer " + token', (t) => `Bearer Bearer ${t}`, 'Jwt header is an invalid Base64url encoded'],
    ['quoted token', (t) => `Bearer "${t}"`, 'Jwt signature is an invalid Base64url encoded'],
  ];
  for (const [name, value, message] of bearerGames) {
    it(`Authorization ${name} -> ${message ?? 'passes'}`, async () => {
      const r = await app.send(PATH, { headers: { authorization: value(good) } });
      if (message) assertRefusal(r, app.base, PATH, 401, message);
      else assertReached(r);
    });
  }

  // Every extracted token must be valid; one bad token refuses the request, whatever the others say.
  type Multi = [string, () => { path: string; headers: Record<string, string | string[]> }, string | undefined];
  const multi: Multi[] = [
    ['valid Authorization, forged access_token', () => ({ path: `${PATH}?access_token=${forged}`, headers: { authorization: `Bearer ${good}` } }), 'Jwt verification fails'],
    ['forged Authorization, valid access_token', () => ({ path: `${PATH}?access_token=${good}`, headers: { authorization: `Bearer ${forged}` } }), 'Jwt verification fails'],
    ['valid Authorization, expired X-Goog-Iap-Jwt-Assertion', () => ({ path: PATH, headers: { authorization: `Bearer ${good}`, 'x-goog-iap-jwt-assertion': expired } }), 'Jwt is expired'],
    ['valid everywhere', () => ({ path: `${PATH}?access_token=${good}`, headers: { authorization: `Bearer ${good}`, 'x-goog-iap-jwt-assertion': good } }), undefined],
    ['two Authorization headers: valid, then forged', () => ({ path: PATH, headers: { authorization: [`Bearer ${good}`, `Bearer ${forged}`] } }), 'Jwt verification fails'],
    ['two Authorization headers: forged, then valid', () => ({ path: PATH, headers: { authorization: [`Bearer ${forged}`, `Bearer ${good}`] } }), 'Jwt verification fails'],
    ['two Authorization headers, both valid', () => ({ path: PATH, headers: { authorization: [`Bearer ${good}`, `Bearer ${good}`] } }), undefined],
    ['two X-Goog-Iap-Jwt-Assertion headers: valid, then expired', () => ({ path: PATH, headers: { 'x-goog-iap-jwt-assertion': [good, expired] } }), 'Jwt is expired'],
    ['two X-Goog-Iap-Jwt-Assertion headers, both valid', () => ({ path: PATH, headers: { 'x-goog-iap-jwt-assertion': [good, good] } }), undefined],
  ];
  for (const [name, make, message] of multi) {
    it(`${name} -> ${message ?? 'passes'}`, async () => {
      const { path, headers } = make();
      const r = await app.send(path, { headers });
      if (message) assertRefusal(r, app.base, path, 401, message);
      else assertReached(r);
    });
  }

  // Ours: a client-sent X-Endpoint-API-UserInfo never reaches the backend, open operations included,
  // in req.headers, req.rawHeaders or req.headersDistinct.
  const FORGED_INFO = Buffer.from(JSON.stringify({ sub: 'admin', email: 'root@example.com' })).toString('base64url');
  const userInfoCases: [string, string, (t: string) => Record<string, string | string[]>, 'none' | 'payload'][] = [
    ['open operation', '/v1/public', () => ({ 'x-endpoint-api-userinfo': FORGED_INFO }), 'none'],
    ['open operation, the header twice and in capitals', '/v1/public', () => ({ 'X-ENDPOINT-API-USERINFO': [FORGED_INFO, FORGED_INFO] }), 'none'],
    ['guarded operation with a valid token', PATH, (t) => ({ authorization: `Bearer ${t}`, 'x-endpoint-api-userinfo': FORGED_INFO }), 'payload'],
    ['guarded operation, the header twice', PATH, (t) => ({ authorization: `Bearer ${t}`, 'x-endpoint-api-userinfo': [FORGED_INFO, 'x'] }), 'payload'],
  ];
  for (const [name, path, headers, expected] of userInfoCases) {
    it(`forged X-Endpoint-API-UserInfo, ${name}: the backend never sees it`, async () => {
      const r = await app.send(path, { headers: headers(good) });
      assertReached(r);
      assert.equal(r.json.userinfo, expected === 'none' ? null : good.split('.')[1]);
      assert.deepEqual(r.json.rawUserinfo, []);
      assert.equal(r.json.distinctUserinfo, null);
    });
  }

  it('forged X-Endpoint-API-UserInfo with a bad token: refused, not reached', async () => {
    const r = await app.send(PATH, { headers: { authorization: `Bearer ${forged}`, 'x-endpoint-api-userinfo': FORGED_INFO } });
    assertRefusal(r, app.base, PATH, 401, 'Jwt verification fails');
  });

  it('forged X-Endpoint-API-UserInfo is gone even when an earlier middleware read req.headersDistinct', async () => {
    const early = await startApp(f.doc(), undefined, (a, auth) => {
      a.use((req, _res, next) => {
        void req.headersDistinct;
        next();
      });
      a.use(auth);
    });
    try {
      const r = await early.send('/v1/public', { headers: { 'x-endpoint-api-userinfo': FORGED_INFO } });
      assertReached(r);
      assert.equal(r.json.userinfo, null);
      assert.deepEqual(r.json.rawUserinfo, []);
      assert.equal(r.json.distinctUserinfo, null);
    } finally {
      await early.close();
    }
  });

  it('two Authorization headers stay held to both when an earlier middleware adds a header of its own (a request id)', async () => {
    // An app's own key in req.headers must not hide a header the client sent twice.
    const early = await startApp(f.doc(), undefined, (a, auth) => {
      a.use((req, _res, next) => {
        req.headers['x-request-id'] ??= 'generated-id';
        next();
      });
      a.use(auth);
    });
    try {
      const r = await early.send(PATH, { headers: { authorization: [`Bearer ${good}`, `Bearer ${forged}`] } });
      assertRefusal(r, early.base, PATH, 401, 'Jwt verification fails');
      assertReached(await early.send(PATH, { headers: { authorization: `Bearer ${good}` } }));
    } finally {
      await early.close();
    }
  });
});
