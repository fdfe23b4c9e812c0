import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AUDIENCE, bookstore, ISSUER } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { certKey, x509Map } from '../helpers/certs.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { recordingLogger, type RecordingLogger } from '../helpers/logger.js';
import { observedFetch } from '../helpers/observed-fetch.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import type { EndpointsAuthOptions } from '../../lib/index.js';

// auth.ready(), auth.close() and the keys option (keys present before any download: issue 14).
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('key lifecycle', () => {
  let server: KeyServer;
  /** The address of a key server that was stopped before any test: down from the start. */
  let downUrl: string;
  let a: TestKey;
  let b: TestKey;
  const apps: TestApp[] = [];

  before(async () => {
    server = await new KeyServer().start();
    const gone = await new KeyServer().start();
    downUrl = gone.url('/jwks');
    await gone.stop();
    [a, b] = await Promise.all([makeKey('ES256', { kid: 'key-a' }), makeKey('ES256', { kid: 'key-b' })]);
  });
  after(async () => {
    for (const app of apps) await app.close();
    await server.stop();
  });

  async function appAt(url: string, options: EndpointsAuthOptions = {}, scheme: Record<string, unknown> = {}): Promise<{ app: TestApp; logger: RecordingLogger }> {
    const logger = recordingLogger();
    const app = await startApp(bookstore(url, scheme), { logger, ...options });
    apps.push(app);
    return { app, logger };
  }
  const call = async (app: TestApp, key: TestKey) =>
    app.send('/v1/shelves', { headers: { authorization: `Bearer ${await mint(key, { iss: ISSUER, sub: 'u', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 600 })}` } });

  describe('auth.ready()', () => {
    it('resolves once the keys are loaded; the first request then downloads nothing', async () => {
      server.serve('/ready', jwks(a));
      const { app } = await appAt(server.url('/ready'));
      await app.auth.ready();
      assert.equal(server.count('/ready'), 1);
      assert.equal((await call(app, a)).status, 200);
      assert.equal(server.count('/ready'), 1);
    });

    it('rejects with the reason when keys cannot be had; requests get 401 Jwks remote fetch is failed', async () => {
      server.serve('/not-ready', 'no', { status: 500 });
      const { app } = await appAt(server.url('/not-ready'));
      await assert.rejects(app.auth.ready(), { name: 'KeyDownloadError', message: /\/not-ready answered HTTP 500/ });
      assert.equal((await call(app, a)).text, espv2Body(401, 'Jwks remote fetch is failed'));
      assert.equal(server.count('/not-ready'), 1);
    });
  });

  describe('auth.close()', () => {
    it('stops background refreshes; cached keys still answer', async () => {
      server.serve('/close', jwks(a));
      const { app } = await appAt(server.url('/close'), {}, { 'x-google-jwks_cache_duration_in_s': 1 });
      assert.equal((await call(app, a)).status, 200);
      app.auth.close();
      await sleep(1500);
      assert.equal(server.count('/close'), 1, 'no refresh after close()');
      assert.equal((await call(app, a)).status, 200);
      assert.equal(server.count('/close'), 1);
    });

    it('stops a download under way: the waiting request is refused at once', async () => {
      // The server never answers (and the download deadline is far off): only close() can end the wait.
      server.serve('/close-slow', jwks(a), { gate: KeyServer.gate().gate });
      const { app } = await appAt(server.url('/close-slow'), { keyFetchTimeoutMs: 60_000 });
      const pending = call(app, a);
      await server.reached('/close-slow', 1);
      app.auth.close();
      assert.equal((await pending).text, espv2Body(401, 'Jwks remote fetch is failed'));
    });

    // A child process loads keys (cold download, unknown-kid refresh, background refresh due in 1 s),
    // closes its HTTP servers and returns from main: it must exit by itself, with or without close().
    // No time is asserted: a timer that held the process would hold it for good (the refresh re-arms
    // itself every second or so, the download deadline is 30 s), so the child is killed after 20 s, a
    // margin no loaded machine needs to exit a finished process, and a killed child fails the test.
    for (const closing of [true, false]) {
      it(`the process exits on its own ${closing ? 'after close()' : 'even without close(): no timer holds it'}`, async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./exit-child.ts', import.meta.url)), String(closing)], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
        clearTimeout(killer);
        assert.equal(code, 0, `the child was killed or failed: ${out}`);
        assert.match(out, /statuses 200,401 downloads 2\ndone/);
      });
    }
  });

  describe('the keys option', () => {
    for (const [format, material] of [
      ['a JWKS object', () => jwks(a)],
      ['an X.509 map', async () => x509Map(await certKey(1, 'key-a'))],
      ['a PEM string', () => a.pem!],
    ] as const) {
      it(`${format}, key server down from the start: requests pass, ready() resolves, no download`, async () => {
        const observed = observedFetch();
        const keys = { [ISSUER]: await material() };
        const { app } = await appAt(downUrl, { keys, fetch: observed.fetch });
        await app.auth.ready();
        const signer = format === 'an X.509 map' ? await certKey(1, 'key-a') : a;
        for (let i = 0; i < 3; i++) assert.equal((await call(app, signer)).status, 200);
        assert.deepEqual(observed.asked, []);
      });
    }

    it('key server down: past the lifetime the failed refresh is logged and requests keep passing', async () => {
      const observed = observedFetch();
      const { app, logger } = await appAt(downUrl, { keys: { [ISSUER]: jwks(a) }, fetch: observed.fetch }, { 'x-google-jwks_cache_duration_in_s': 1 });
      assert.equal((await call(app, a)).status, 200);
      assert.match(await logger.next(/could not be loaded/, 'warn'), /the previous keys stay in use/);
      await sleep(200);
      assert.equal((await call(app, a)).status, 200);
      assert.deepEqual(observed.asked, [downUrl]);
    });

    it('is refreshed from the URL as usual: a key gone from the served set stops verifying', async () => {
      server.serve('/preloaded', jwks(b));
      const { app, logger } = await appAt(server.url('/preloaded'), { keys: { [ISSUER]: jwks(a) } }, { 'x-google-jwks_cache_duration_in_s': 1 });
      assert.equal((await call(app, a)).status, 200);
      assert.equal(server.count('/preloaded'), 0);
      await logger.next(/loaded 1 key \(jwks\) from .*\/preloaded/, 'info');
      assert.equal((await call(app, b)).status, 200);
      assert.equal((await call(app, a)).text, espv2Body(401, "Jwks doesn't have key to match kid or alg from Jwt"));
    });

    it('unusable material is logged and replaced by a download', async () => {
      server.serve('/fallback', jwks(a));
      const { app, logger } = await appAt(server.url('/fallback'), { keys: { [ISSUER]: { keys: [] } } });
      assert.equal((await call(app, a)).status, 200);
      assert.equal(server.count('/fallback'), 1);
      assert.equal(logger.matching(/the keys option for https:\/\/issuer\.test: the key set is empty; downloading from .*\/fallback instead/, 'error').length, 1);
    });

    it('an issuer no provider has is warned about', async () => {
      server.serve('/typo', jwks(a));
      const { logger } = await appAt(server.url('/typo'), { keys: { 'https://isuer.test': jwks(a) } });
      assert.equal(logger.matching(/the keys option names issuer "https:\/\/isuer\.test", which no provider of the document has/, 'warn').length, 1);
    });
  });
});
