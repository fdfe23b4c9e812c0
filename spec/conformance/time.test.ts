import { after, before, describe, it } from 'node:test';
import { fixture } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';

// jwt_verify_lib's verifyTimeConstraint with Envoy's 60 s skew: "Jwt not yet valid" when
// now + skew < nbf, "Jwt is expired" when exp != 0 and now > exp + skew; iat is never checked. Time
// comes before audience and signature; the issuer comes before time. The clock is pinned with `now`.
const T = 1_800_000_000;
const PATH = '/v1/shelves';

describe('time and clock skew at the exact boundaries', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  let strict: TestApp;
  before(async () => {
    f = await fixture();
    app = await startApp(f.doc(), { now: () => T * 1000 + 999 });
    strict = await startApp(f.doc(), { now: () => T * 1000, clockSkewSeconds: 0 });
  });
  after(async () => {
    await app.close();
    await strict.close();
    await f.server.stop();
  });

  const cases: [string, Record<string, unknown>, string | undefined][] = [
    ['nbf = now + 60', { nbf: T + 60, exp: T + 600 }, undefined],
    ['nbf = now + 61', { nbf: T + 61, exp: T + 600 }, 'Jwt not yet valid'],
    ['exp = now - 60', { exp: T - 60 }, undefined],
    ['exp = now - 61', { exp: T - 61 }, 'Jwt is expired'],
    ['no exp at all', { exp: undefined }, undefined],
    ['exp 0 (means none)', { exp: 0 }, undefined],
    ['iat far in the future (never checked)', { iat: T + 10 ** 6, exp: T + 600 }, undefined],
    ['nbf and exp both failing: nbf first', { nbf: T + 100, exp: T - 100 }, 'Jwt not yet valid'],
    ['expired and wrong audience: time first', { exp: T - 100, aud: 'someone-else' }, 'Jwt is expired'],
    ['unknown issuer and expired: issuer first', { iss: 'https://other.test', exp: T - 100 }, 'Jwt issuer is not configured'],
    ['fractional exp = now - 59.5 (truncated to now - 60)', { exp: T - 59.5 }, undefined],
    ['fractional exp = now - 60.5 (truncated to now - 61, not rounded)', { exp: T - 60.5 }, 'Jwt is expired'],
  ];
  for (const [name, claims, message] of cases) {
    it(`${name} -> ${message ?? 'passes'}`, async () => {
      const r = await app.send(PATH, { headers: bearer(await f.token({ iat: T, ...claims })) });
      if (message) assertRefusal(r, app.base, PATH, 401, message);
      else assertReached(r);
    });
  }

  it('expired with a bad signature: time first', async () => {
    const [h, p] = (await f.token({ iat: T, exp: T - 100 })).split('.');
    assertRefusal(await app.send(PATH, { headers: bearer(`${h}.${p}.c2lnbmF0dXJl`) }), app.base, PATH, 401, 'Jwt is expired');
  });

  const skewless: [string, Record<string, unknown>, string | undefined][] = [
    ['exp = now', { exp: T }, undefined],
    ['exp = now - 1', { exp: T - 1 }, 'Jwt is expired'],
    ['nbf = now', { nbf: T, exp: T + 10 }, undefined],
    ['nbf = now + 1', { nbf: T + 1, exp: T + 10 }, 'Jwt not yet valid'],
  ];
  for (const [name, claims, message] of skewless) {
    it(`clockSkewSeconds 0, ${name} -> ${message ?? 'passes'}`, async () => {
      const r = await strict.send(PATH, { headers: bearer(await f.token({ iat: T, ...claims })) });
      if (message) assertRefusal(r, strict.base, PATH, 401, message);
      else assertReached(r);
    });
  }
});
