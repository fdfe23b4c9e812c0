import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { esp1Body, startApp, type TestApp } from '../helpers/app.js';

// ESP v1 takes ONE token: the IAP header, else Authorization (by each generation's Bearer rule), else
// access_token only when there is no Authorization at all.
describe('ESP v1 token extraction', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let v160: TestApp;
  let v132: TestApp;
  let good: string;
  before(async () => {
    f = await fixture();
    v160 = await startApp(f.doc(), { compatibility: 'esp' });
    v132 = await startApp(f.doc(), { compatibility: 'esp-1.32' });
    good = await f.token();
  });
  after(async () => {
    await v160.close();
    await v132.close();
    await f.server.stop();
  });
  const failed = (reason: string) => esp1Body(16, `JWT validation failed: ${reason}`);

  for (const mode of ['esp', 'esp-1.32'] as const) {
    const app = () => (mode === 'esp' ? v160 : v132);
    it(`${mode}: the IAP header wins over a bad Authorization`, async () => {
      const r = await app().send('/v1/shelves', { headers: { 'x-goog-iap-jwt-assertion': good, authorization: 'Bearer garbage' } });
      assert.equal(r.status, 200);
    });
    it(`${mode}: a bad IAP header is the token even when Authorization is good`, async () => {
      const r = await app().send('/v1/shelves', { headers: { 'x-goog-iap-jwt-assertion': 'garbage', authorization: `Bearer ${good}` } });
      assert.equal(r.text, failed(mode === 'esp' ? 'Bad JWT format: should have 2 dots' : 'BAD_FORMAT'));
    });
    // nginx reads the first of a repeated header; Node joins the repeats with ", ".
    it(`${mode}: of two IAP headers, the first is the token`, async () => {
      const first = await app().send('/v1/shelves', { headers: { 'x-goog-iap-jwt-assertion': [good, 'garbage'] } });
      assert.equal(first.status, 200);
      const second = await app().send('/v1/shelves', { headers: { 'x-goog-iap-jwt-assertion': ['garbage', good] } });
      assert.equal(second.text, failed(mode === 'esp' ? 'Bad JWT format: should have 2 dots' : 'BAD_FORMAT'));
    });
    it(`${mode}: an empty IAP header counts as absent`, async () => {
      const r = await app().send('/v1/shelves', { headers: { 'x-goog-iap-jwt-assertion': '', authorization: `Bearer ${good}` } });
      assert.equal(r.status, 200);
    });
    it(`${mode}: access_token is read when there is no Authorization, name case-insensitive`, async () => {
      const r = await app().send(`/v1/shelves?ACCESS_TOKEN=${good}`);
      assert.equal(r.status, 200);
    });
    it(`${mode}: access_token is ignored when Authorization is present`, async () => {
      const r = await app().send(`/v1/shelves?access_token=${good}`, { headers: { authorization: 'Bearer garbage' } });
      assert.equal(r.text, failed(mode === 'esp' ? 'Bad JWT format: should have 2 dots' : 'BAD_FORMAT'));
    });
    it(`${mode}: the first access_token counts, even empty`, async () => {
      const r = await app().send(`/v1/shelves?access_token=&access_token=${good}`);
      assert.equal(r.text, failed('Missing or invalid credentials'));
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    });
    it(`${mode}: "Bearer " alone is no Bearer token`, async () => {
      const r = await app().send('/v1/shelves', { headers: { authorization: 'Bearer ' } });
      assert.equal(r.text, failed(mode === 'esp' ? 'Bad JWT format: should have 2 dots' : 'Missing or invalid credentials'));
    });
  }

  it('esp (v1.37+): "bearer <jwt>" makes the whole value the token', async () => {
    const r = await v160.send('/v1/shelves', { headers: { authorization: `bearer ${good}` } });
    assert.equal(r.text, failed('Bad JWT format: Invalid base64 in header'));
    assert.equal(r.headers.get('www-authenticate'), 'Bearer, error="invalid_token"');
  });
  it('esp (v1.37+): a bare token in Authorization is the token', async () => {
    const r = await v160.send('/v1/shelves', { headers: { authorization: good } });
    assert.equal(r.status, 200);
  });
  it('esp-1.32: "bearer <jwt>" is no token at all', async () => {
    const r = await v132.send('/v1/shelves', { headers: { authorization: `bearer ${good}` } });
    assert.equal(r.text, failed('Missing or invalid credentials'));
    assert.equal(r.headers.get('www-authenticate'), 'Bearer');
  });
});
