import { after, before, describe, it } from 'node:test';
import { fixture, SERVICE } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';

// Envoy's check_audience: a leading http:// or https:// and one trailing "/" are removed on both sides;
// a token passes when any of its audiences is allowed. With x-google-audiences empty the only audience
// is https://<service name>; a non-empty list replaces that default. No aud -> 403.
const DENIED = 'Audiences in Jwt are not allowed';

describe('audiences', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let byDefault: TestApp;
  let listed: TestApp;
  let withEmpty: TestApp;
  let onlyEmpty: TestApp;
  before(async () => {
    f = await fixture();
    const open = f.doc();
    delete open.securityDefinitions.issuer['x-google-audiences'];
    byDefault = await startApp(open);
    const withList = f.doc();
    withList.securityDefinitions.issuer['x-google-audiences'] = ' https://api.one.test/ ,two ';
    listed = await startApp(withList);
    // ESPv2's config generator splits on "," and trims, keeping empty entries: "" becomes an audience.
    const emptyEntry = f.doc();
    emptyEntry.securityDefinitions.issuer['x-google-audiences'] = 'two,, three ';
    withEmpty = await startApp(emptyEntry);
    const comma = f.doc();
    comma.securityDefinitions.issuer['x-google-audiences'] = ',';
    onlyEmpty = await startApp(comma);
  });
  after(async () => {
    await byDefault.close();
    await listed.close();
    await withEmpty.close();
    await onlyEmpty.close();
    await f.server.stop();
  });

  const defaultCases: [string, unknown, boolean][] = [
    ['https://SERVICE', `https://${SERVICE}`, true],
    ['SERVICE (scheme added for comparison)', SERVICE, true],
    ['http://SERVICE/ (scheme and one slash removed)', `http://${SERVICE}/`, true],
    ['https://SERVICE// (only one slash removed)', `https://${SERVICE}//`, false],
    ['a list with the service among others', ['other', `https://${SERVICE}`], true],
    ['another audience', 'https://elsewhere.test', false],
    ['SERVICE in another case', SERVICE.toUpperCase(), false],
    ['an empty list', [], false],
    ['no aud at all', undefined, false],
  ];
  for (const [name, aud, passes] of defaultCases) {
    it(`default audience, token aud ${name} -> ${passes ? 'passes' : '403'}`, async () => {
      const r = await byDefault.send('/v1/shelves', { headers: bearer(await f.token({ aud })) });
      if (passes) assertReached(r);
      else assertRefusal(r, byDefault.base, '/v1/shelves', 403, DENIED);
    });
  }

  const listedCases: [string, unknown, boolean][] = [
    ['an entry, normalised (api.one.test)', 'api.one.test', true],
    ['an entry with scheme and slash', 'http://api.one.test/', true],
    ['the second entry, trimmed', 'two', true],
    ['the service default, which the list replaces', `https://${SERVICE}`, false],
  ];
  for (const [name, aud, passes] of listedCases) {
    it(`x-google-audiences list, token aud ${name} -> ${passes ? 'passes' : '403'}`, async () => {
      const r = await listed.send('/v1/shelves', { headers: bearer(await f.token({ aud })) });
      if (passes) assertReached(r);
      else assertRefusal(r, listed.base, '/v1/shelves', 403, DENIED);
    });
  }

  const emptyEntryCases: [string, string, unknown, boolean][] = [
    ['"two,, three "', 'an entry', 'three', true],
    ['"two,, three "', 'an empty aud, which the empty entry allows', '', true],
    ['"two,, three "', '"https://", empty once normalised', 'https://', true],
    ['"two,, three "', 'another audience', 'four', false],
    ['","', 'an empty aud', '', true],
    ['","', 'the service default, which the list of empty entries replaces', `https://${SERVICE}`, false],
  ];
  for (const [list, name, aud, passes] of emptyEntryCases) {
    it(`x-google-audiences ${list} keeps its empty entry: token aud ${name} -> ${passes ? 'passes' : '403'}`, async () => {
      const app = list === '","' ? onlyEmpty : withEmpty;
      const r = await app.send('/v1/shelves', { headers: bearer(await f.token({ aud })) });
      if (passes) assertReached(r);
      else assertRefusal(r, app.base, '/v1/shelves', 403, DENIED);
    });
  }
});
