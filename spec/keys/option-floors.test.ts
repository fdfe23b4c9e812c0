import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AUDIENCE, bookstore, ISSUER } from '../helpers/fixture.js';
import { startApp } from '../helpers/app.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { recordingLogger } from '../helpers/logger.js';
import { endpointsAuth } from '../../lib/index.js';

// One key server and key for both suites of this file.
let server: KeyServer;
let key: TestKey;
before(async () => {
  server = await new KeyServer().start();
  key = await makeKey('ES256', { kid: 'k' });
});
after(() => server.stop());

// The options that decide how often keys are downloaded have a floor of 1 s: a 0 meant a key set that
// expired as it arrived (keys downloaded 90-190 times a second with no traffic) or an unknown-kid
// refresh on every request. Below the floor they are refused at start-up with a TypeError that says why.
describe('option floors: never a download loop', () => {
  for (const compatibility of ['espv2', 'esp'] as const) {
    for (const [option, value] of [
      ['jwksCacheSeconds', 0],
      ['jwksCacheSeconds', 0.5],
      ['unknownKidCooldownSeconds', 0],
      ['unknownKidCooldownSeconds', 0.999],
    ] as const) {
      it(`${compatibility}: ${option}: ${value} is refused with a TypeError that says why`, () => {
        assert.throws(
          () => endpointsAuth(bookstore(server.url('/unused')), { compatibility, [option]: value }),
          (e: unknown) => e instanceof TypeError && new RegExp(`^espresso-jwt: option ${option} must be at least 1 second: .*download`).test(e.message),
        );
      });
    }
  }

  it('the floor itself is accepted', () => {
    endpointsAuth(bookstore(server.url('/unused')), { jwksCacheSeconds: 1, unknownKidCooldownSeconds: 1 }).close();
  });

  it('ESPv2 at the floor with no traffic, on a fake clock: at most one download per 0.9 s, never a loop', async (t) => {
    // The key store's clock (performance.now) and its refresh timer (setTimeout) run on fake time; the
    // downloads themselves are real, over loopback. Between ticks the test lets I/O run.
    let now = 1_000_000;
    t.mock.method(performance, 'now', () => now);
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const uri = server.serve('/floor-espv2', jwks(key));
    const logger = recordingLogger();
    const app = await startApp(bookstore(uri), { jwksCacheSeconds: 1, logger });
    try {
      const token = await mint(key, { iss: ISSUER, sub: 'u', aud: AUDIENCE, exp: NOW_S + 3600 });
      assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } })).status, 200);
      assert.equal(server.hits.get('/floor-espv2'), 1);
      // Ten seconds of clock with no request, 100 ms at a time.
      let loaded = logger.next(/loaded 1 key.*floor-espv2/, 'info');
      for (let step = 1; step <= 100; step++) {
        now += 100;
        t.mock.timers.tick(100);
        const refreshed = await Promise.race([loaded.then(() => true), new Promise<false>((r) => setImmediate(() => r(false)))]);
        if (refreshed) loaded = logger.next(/loaded 1 key.*floor-espv2/, 'info');
      }
      const downloads = server.hits.get('/floor-espv2')!;
      assert.ok(downloads >= 2 && downloads <= 12, `${downloads} downloads in 10 s of clock`);
    } finally {
      await app.close();
    }
  });

  it('ESP v1 at the floor, on a fake clock: one download per second of clock however many requests', async () => {
    const uri = server.serve('/floor-esp', jwks(key));
    let now = NOW_S * 1000;
    const app = await startApp(bookstore(uri), { compatibility: 'esp', jwksCacheSeconds: 1, tokenCacheSize: 0, now: () => now });
    try {
      const token = await mint(key, { iss: ISSUER, sub: 'u', aud: AUDIENCE, exp: NOW_S + 3600, jti: randomUUID() });
      for (let second = 0; second < 3; second++) {
        for (let i = 0; i < 20; i++) {
          const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
          assert.equal(r.status, 200, r.text);
          now += 40; // 20 requests over 800 ms of clock
        }
        assert.equal(server.hits.get('/floor-esp'), second + 1, `downloads after ${second + 1} s of clock`);
        now += 1000 - 800 + 1;
      }
    } finally {
      await app.close();
    }
  });
});

// setTimeout keeps no delay over 2^31 - 1 ms (about 24.8 days): Node fires a longer one after 1 ms. A
// key set fresh for 30 days was refreshed as soon as it arrived, then again, about 500 times a second.
describe('key lifetimes longer than a timer can wait', () => {
  const THIRTY_DAYS = 30 * 24 * 3600;
  for (const [how, setup] of [
    ['the jwksCacheSeconds option', (uri: string) => ({ doc: bookstore(uri), options: { jwksCacheSeconds: THIRTY_DAYS } })],
    ['the document\'s x-google-jwks_cache_duration_in_s', (uri: string) => ({ doc: withCacheDuration(bookstore(uri), THIRTY_DAYS), options: {} })],
  ] as const) {
    it(`30 days through ${how}: one download, then none while the set is fresh`, async () => {
      const uri = server.serve(`/long-${how.length}`, jwks(key));
      const { doc, options } = setup(uri);
      const auth = endpointsAuth(doc, options);
      try {
        await auth.ready();
        // Long enough for a looping timer to have downloaded dozens of times (it fired every 1 ms).
        for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 10));
        assert.equal(server.hits.get(`/long-${how.length}`), 1);
      } finally {
        auth.close();
      }
    });
  }

  it('on a fake clock, the 30-day set is refreshed once, 5 s before it expires', async (t) => {
    let now = 1_000_000;
    t.mock.method(performance, 'now', () => now);
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const uri = server.serve('/long-fake', jwks(key));
    const logger = recordingLogger();
    const auth = endpointsAuth(bookstore(uri), { jwksCacheSeconds: THIRTY_DAYS, logger });
    try {
      await auth.ready();
      const advance = (ms: number) => {
        now += ms;
        t.mock.timers.tick(ms);
      };
      // Past the longest timer: it fires, finds the set still fresh and waits again.
      advance(2 ** 31);
      await new Promise((r) => setImmediate(r));
      assert.equal(server.hits.get('/long-fake'), 1);
      const reloaded = logger.next(/loaded 1 key.*long-fake/, 'info');
      advance(THIRTY_DAYS * 1000 - 5000 - 2 ** 31);
      await reloaded;
      assert.equal(server.hits.get('/long-fake'), 2);
    } finally {
      auth.close();
    }
  });
});

function withCacheDuration(doc: ReturnType<typeof bookstore>, seconds: number): ReturnType<typeof bookstore> {
  const copy = structuredClone(doc) as { securityDefinitions: Record<string, Record<string, unknown>> };
  for (const scheme of Object.values(copy.securityDefinitions)) if (scheme['x-google-issuer']) scheme['x-google-jwks_cache_duration_in_s'] = seconds;
  return copy as unknown as ReturnType<typeof bookstore>;
}
