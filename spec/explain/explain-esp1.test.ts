import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explain } from '../../lib/explain/explain.js';
import { hintFor } from '../../lib/failures/hints.js';
import { fixture, ISSUER } from '../helpers/fixture.js';
import { makeKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// explain() in process, in ESP v1 modes: the failures only ESP v1 gives, each with the middleware's
// message, the check that decided and the hint of the troubleshooting table.
describe('explain in ESP v1 modes', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    f = await fixture();
  });
  after(async () => f.server.stop());

  const run = async (compatibility: 'esp' | 'esp-1.32', token: string) => explain(f.doc(), { token, compatibility, path: '/v1/shelves' });
  const cases: ['esp' | 'esp-1.32', string, () => Promise<string>, string, string, RegExp][] = [
    ['esp', 'an email issuer whose sub differs', async () => mint(f.key, { iss: 'robot@project.iam.gserviceaccount.com', sub: 'someone-else', aud: 'shelves-client' }), 'JWT validation failed: UNKNOWN', 'parse', /sub/],
    ['esp', 'no iss', () => f.token({ iss: undefined }), 'JWT validation failed: Bad JWT format: invalid JWT claims; issuer is mssing but required.', 'parse', /iss/],
    ['esp', 'iss of the wrong type', () => f.token({ iss: 42 }), 'JWT validation failed: Bad JWT format: invalid JWT claims; e.g. wrong data type, iss is not a string.', 'parse', /type/],
    ['esp', 'no aud', () => f.token({ aud: undefined }), 'JWT validation failed: Bad JWT format: missing audience field.', 'parse', /aud/],
    ['esp-1.32', 'no sub (required up to v1.32)', () => f.token({ sub: undefined }), 'JWT validation failed: BAD_FORMAT', 'parse', /sub/],
    ['esp', 'expired', () => f.token({ exp: NOW_S - 3600 }), 'JWT validation failed: TIME_CONSTRAINT_FAILURE', 'time', /exp/],
    ['esp-1.32', 'a kid the key set lacks', async () => mint(await makeKey('RS256', { kid: 'stranger' }), { iss: ISSUER, sub: 's', aud: 'shelves-client' }), 'JWT validation failed: KEY_RETRIEVAL_ERROR', 'signature', /kid/],
  ];
  for (const [mode, name, make, message, check, hint] of cases) {
    it(`${mode}: ${name} -> ${message}`, async () => {
      const report = await run(mode, await make());
      assert.equal(report.verdict, 'deny');
      assert.equal(report.message, message);
      const last = report.steps.at(-1)!;
      assert.equal(last.check, check);
      assert.equal(last.ok, false);
      assert.match(report.hint ?? '', hint);
    });
  }

  it('the hint is the troubleshooting table entry of the failure', async () => {
    const report = await run('esp', await f.token({ aud: undefined }));
    assert.equal(report.hint, hintFor({ kind: 'audience_missing' }));
    assert.equal(report.reason, 'bad_format');
  });

  it('ESP v1 checks time before the issuer: an expired token of another issuer fails on time', async () => {
    const report = await run('esp', await f.token({ iss: 'https://other.test', exp: NOW_S - 3600 }));
    assert.equal(report.message, 'JWT validation failed: TIME_CONSTRAINT_FAILURE');
    assert.deepEqual(report.steps.map((s) => s.check), ['operation', 'token', 'parse', 'time']);
  });
});
