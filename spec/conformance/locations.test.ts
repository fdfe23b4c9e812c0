import { after, before, describe, it } from 'node:test';
import { fixture, ISSUER } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { assertReached, assertRefusal } from '../helpers/refusal.js';

// Envoy's extractor: the prefix (case sensitive) may stand anywhere in the header value and the token is
// the rest from the first base64url or "." character after it; a header without prefix gives its whole
// value; a query parameter its first value, percent-decoded. x-google-jwt-locations replaces the
// defaults (Authorization "Bearer ", X-Goog-Iap-Jwt-Assertion, access_token).
const MISSING = 'Jwt is missing';

describe('token locations', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let defaults: TestApp;
  let custom: TestApp;
  let good: string;
  let expired: string;
  before(async () => {
    f = await fixture();
    defaults = await startApp(f.doc());
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-jwt-locations'] = [{ header: 'X-Token', value_prefix: 'JWT ' }, { query: 'jwt' }];
    custom = await startApp(doc);
    good = await f.token();
    expired = await f.token({ exp: 1000 });
  });
  after(async () => {
    await defaults.close();
    await custom.close();
    await f.server.stop();
  });

  type Case = [name: string, app: () => TestApp, path: (t: string) => string, headers: (t: string) => Record<string, string | string[]>, message?: string];
  const shelves = () => '/v1/shelves';
  const cases: Case[] = [
    ['Authorization "Bearer <t>"', () => defaults, shelves, (t) => ({ authorization: `Bearer ${t}` })],
    ['the prefix anywhere in the value', () => defaults, shelves, (t) => ({ authorization: `Token x, Bearer ${t}` })],
    ['several spaces after the prefix', () => defaults, shelves, (t) => ({ authorization: `Bearer    ${t}` })],
    ['non-base64url characters after the prefix are skipped', () => defaults, shelves, (t) => ({ authorization: `Bearer :"${t}` })],
    ['the prefix is case sensitive', () => defaults, shelves, (t) => ({ authorization: `bearer ${t}` }), MISSING],
    ['X-Goog-Iap-Jwt-Assertion takes the whole value', () => defaults, shelves, (t) => ({ 'x-goog-iap-jwt-assertion': t })],
    ['X-Goog-Iap-Jwt-Assertion with a prefix keeps it in the token', () => defaults, shelves, (t) => ({ 'x-goog-iap-jwt-assertion': `Bearer ${t}` }), 'Jwt header is an invalid Base64url encoded'],
    ['query access_token', () => defaults, (t) => `/v1/shelves?access_token=${t}`, () => ({})],
    ['query access_token, percent-encoded', () => defaults, (t) => `/v1/shelves?access_token=${encodeURIComponent(t).replace(/\./g, '%2E')}`, () => ({})],
    ['query access_token, first value wins', () => defaults, (t) => `/v1/shelves?access_token=${t}&access_token=junk`, () => ({})],
    ['query name is case sensitive', () => defaults, (t) => `/v1/shelves?Access_Token=${t}`, () => ({}), MISSING],
    ['custom header with its prefix', () => custom, shelves, (t) => ({ 'x-token': `JWT ${t}` })],
    ['custom query parameter', () => custom, (t) => `/v1/shelves?jwt=${t}`, () => ({})],
    ['custom locations replace Authorization', () => custom, shelves, (t) => ({ authorization: `Bearer ${t}` }), MISSING],
    ['custom locations replace X-Goog-Iap-Jwt-Assertion', () => custom, shelves, (t) => ({ 'x-goog-iap-jwt-assertion': t }), MISSING],
    ['custom locations replace access_token', () => custom, (t) => `/v1/shelves?access_token=${t}`, () => ({}), MISSING],
    ['custom header without its prefix', () => custom, shelves, (t) => ({ 'x-token': t }), MISSING],
  ];
  for (const [name, app, path, headers, message] of cases) {
    it(`${name} -> ${message ?? 'passes'}`, async () => {
      const a = app();
      const p = path(good);
      const r = await a.send(p, { headers: headers(good) });
      if (message) assertRefusal(r, a.base, p, 401, message);
      else assertReached(r);
    });
  }

  // Tokens are verified in reverse extraction order (query before headers) and the first failure wins.
  it('a bad query token is reported before a bad header token', async () => {
    const path = `/v1/shelves?access_token=${good.slice(0, -4)}AAAA`;
    const r = await defaults.send(path, { headers: { authorization: `Bearer ${expired}` } });
    assertRefusal(r, defaults.base, path, 401, 'Jwt verification fails');
  });
  it('the last header location is verified before the first', async () => {
    const other = await f.token({ iss: `${ISSUER}/other` });
    const r = await defaults.send('/v1/shelves', { headers: { authorization: `Bearer ${expired}`, 'x-goog-iap-jwt-assertion': other } });
    assertRefusal(r, defaults.base, '/v1/shelves', 401, 'Jwt issuer is not configured');
  });
});
