import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';

// Where tokens are found (ESPv2 defaults and x-google-jwt-locations), and that every one must be valid.
describe('token locations', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  let custom: TestApp;
  let good: string;
  before(async () => {
    f = await fixture();
    good = await f.token();
    app = await startApp(f.doc());
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-jwt-locations'] = [{ header: 'X-My-Token', value_prefix: 'Token ' }, { query: 'jwt' }];
    custom = await startApp(doc);
  });
  after(async () => {
    await app.close();
    await custom.close();
    await f.server.stop();
  });

  it('defaults: Authorization Bearer, X-Goog-Iap-Jwt-Assertion, access_token', async () => {
    assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${good}` } })).status, 200);
    assert.equal((await app.send('/v1/shelves', { headers: { 'x-goog-iap-jwt-assertion': good } })).status, 200);
    assert.equal((await app.send(`/v1/shelves?access_token=${good}`)).status, 200);
  });
  it('the Bearer prefix is case sensitive; "bearer " finds no token', async () => {
    assert.equal((await app.send('/v1/shelves', { headers: { authorization: `bearer ${good}` } })).text, espv2Body(401, 'Jwt is missing'));
  });
  it('the prefix may stand anywhere; the token starts at the first base64url character after it', async () => {
    assert.equal((await app.send('/v1/shelves', { headers: { authorization: `xx Bearer   ${good}` } })).status, 200);
  });
  it('"Bearer" with nothing after it is no token', async () => {
    assert.equal((await app.send('/v1/shelves', { headers: { authorization: 'Bearer ' } })).text, espv2Body(401, 'Jwt is missing'));
  });
  it('an empty access_token is a token, and a malformed one', async () => {
    assert.equal((await app.send('/v1/shelves?access_token=')).text, espv2Body(401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'));
  });
  it('every token found must be valid: a bad one anywhere refuses', async () => {
    const r = await app.send(`/v1/shelves?access_token=${good}`, { headers: { authorization: 'Bearer abc' } });
    assert.equal(r.text, espv2Body(401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'));
    const both = await app.send(`/v1/shelves?access_token=${good}`, { headers: { authorization: `Bearer ${good}` } });
    assert.equal(both.status, 200);
  });
  it('the query token is verified first (reverse extraction order)', async () => {
    const expired = await f.token({ exp: 1000 });
    const r = await app.send(`/v1/shelves?access_token=${expired}`, { headers: { authorization: 'Bearer abc' } });
    assert.equal(r.text, espv2Body(401, 'Jwt is expired'));
  });
  it('x-google-jwt-locations replaces the defaults', async () => {
    assert.equal((await custom.send('/v1/shelves', { headers: { authorization: `Bearer ${good}` } })).text, espv2Body(401, 'Jwt is missing'));
    assert.equal((await custom.send(`/v1/shelves?access_token=${good}`)).text, espv2Body(401, 'Jwt is missing'));
    assert.equal((await custom.send('/v1/shelves', { headers: { 'x-my-token': `Token ${good}` } })).status, 200);
    assert.equal((await custom.send(`/v1/shelves?jwt=${good}`)).status, 200);
  });
  it('a query location with value_prefix is refused at start-up', async () => {
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-jwt-locations'] = [{ query: 'jwt', value_prefix: 'x' }];
    await assert.rejects(startApp(doc), (e: Error) => e.name === 'SpecError' && e.message.includes('["x-google-jwt-locations"][0].value_prefix'));
  });
});
