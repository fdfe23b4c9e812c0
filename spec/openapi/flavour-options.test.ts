import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { startApp } from '../helpers/app.js';
import { endpointsAuth, type EndpointsAuthOptions } from '../../lib/index.js';

// Options only ESPv2's rules have are refused under ESP v1 with a TypeError naming the flavour they
// belong to, instead of being ignored without a word; the value ESP v1 behaves as anyway is accepted.
describe('options of one flavour', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    f = await fixture();
  });
  after(() => f.server.stop());

  const espv2Only: [keyof EndpointsAuthOptions, unknown, RegExp][] = [
    ['keyFetchCrossHostRedirects', true, /follows no redirect/],
    ['unknownKidCooldownSeconds', 10, /never refreshes keys for an unknown kid/],
    ['userInfoPadding', false, /always pads X-Endpoint-API-UserInfo/],
  ];
  for (const compatibility of ['esp', 'esp-1.32'] as const) {
    for (const [name, value, why] of espv2Only) {
      it(`${compatibility}: ${name}: ${value} is refused at start-up, naming 'espv2'`, () => {
        assert.throws(
          () => endpointsAuth(f.doc(), { compatibility, [name]: value }),
          (e: unknown) => {
            assert.ok(e instanceof TypeError);
            assert.match(e.message, new RegExp(`^espresso-jwt: option ${name} applies to compatibility 'espv2' only, not '${compatibility}': `));
            assert.match(e.message, why);
            return true;
          },
        );
      });
    }
  }

  it("under 'espv2' each applies, and starts", () => {
    for (const [name, value] of espv2Only) endpointsAuth(f.doc(), { compatibility: 'espv2', [name]: value }).close();
  });

  it('esp: the values that ask for what ESP v1 does anyway are accepted; requests pass', async () => {
    const app = await startApp(f.doc(), { compatibility: 'esp', keyFetchCrossHostRedirects: false, userInfoPadding: true });
    try {
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token()}` } });
      assert.equal(r.status, 200);
    } finally {
      await app.close();
    }
  });
});
