import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, bookstore, ISSUER } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { recordingLogger, type RecordingLogger } from '../helpers/logger.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import type { EndpointsAuthOptions } from '../../lib/index.js';

// Every way a key download can fail: the client only ever sees ESPv2's 401 "Jwks remote fetch is
// failed"; the reason goes to the logger. Download counts are what the key server saw.
const FETCH_FAILED = espv2Body(401, 'Jwks remote fetch is failed');

describe('key download faults', () => {
  let server: KeyServer;
  let key: TestKey;
  let token: string;
  const apps: TestApp[] = [];

  before(async () => {
    server = await new KeyServer().start();
    key = await makeKey('ES256');
    token = await mint(key, { iss: ISSUER, sub: 'u', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 3600 });
  });
  after(async () => {
    for (const a of apps) await a.close();
    await server.stop();
  });

  /** A fresh app whose only provider's keys are at `path` of the key server. */
  async function appAt(path: string, options: EndpointsAuthOptions = {}): Promise<{ app: TestApp; logger: RecordingLogger }> {
    const logger = recordingLogger();
    const app = await startApp(bookstore(server.url(path)), { logger, ...options });
    apps.push(app);
    return { app, logger };
  }
  const call = (app: TestApp) => app.send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });

  /** One request refused with ESPv2's body and nothing of the reason; the reason in the logger. */
  async function refusedFor(app: TestApp, logger: RecordingLogger, reason: RegExp): Promise<void> {
    const r = await call(app);
    assert.equal(r.status, 401);
    assert.equal(r.text, FETCH_FAILED);
    assert.equal(r.headers.get('www-authenticate'), `Bearer realm="http://${new URL(app.base).host}/v1/shelves", error="invalid_token"`);
    assert.equal(logger.matching(reason, 'warn').length, 1, `logged: ${JSON.stringify(logger.lines)}`);
  }

  it('an answer slower than keyFetchTimeoutMs: refused after the timeout (1 download)', async () => {
    // The server never answers: the refusal arriving at all shows the request did not wait for it.
    // 2 s, not less: on a loaded machine a shorter deadline can end before the request reaches the
    // server at all, and the download this test counts would not have happened.
    server.serve('/slow', jwks(key), { gate: KeyServer.gate().gate });
    const { app, logger } = await appAt('/slow', { keyFetchTimeoutMs: 2000 });
    await refusedFor(app, logger, /\/slow did not answer within 2000 ms/);
    assert.equal(server.count('/slow'), 1);
  });

  it('HTTP 500: refused, status logged (1 download)', async () => {
    server.serve('/e500', 'oops', { status: 500 });
    const { app, logger } = await appAt('/e500');
    await refusedFor(app, logger, /\/e500 answered HTTP 500/);
    assert.equal(server.count('/e500'), 1);
  });

  it('invalid JSON: refused (1 download)', async () => {
    server.serve('/bad-json', '{"keys": [', { contentType: 'application/json' });
    const { app, logger } = await appAt('/bad-json');
    await refusedFor(app, logger, /\/bad-json: the answer is not JSON/);
    assert.equal(server.count('/bad-json'), 1);
  });

  it('an empty key set: refused (1 download)', async () => {
    server.serve('/empty', { keys: [] });
    const { app, logger } = await appAt('/empty');
    await refusedFor(app, logger, /\/empty: the key set is empty/);
    assert.equal(server.count('/empty'), 1);
  });

  it('a JWKS whose only key is unusable: refused, the key named (1 download)', async () => {
    server.serve('/bad-key', { keys: [{ kty: 'RSA', kid: 'k', n: 'AQAB', e: 'AQ' }] });
    const { app, logger } = await appAt('/bad-key');
    await refusedFor(app, logger, /no usable key \(keys\[0\]: RSA "e" must be 3 or 65537\)/);
    assert.equal(server.count('/bad-key'), 1);
  });

  it('a dropped connection: refused (1 download)', async () => {
    server.serve('/drop', jwks(key), { send: 'drop' });
    const { app, logger } = await appAt('/drop');
    await refusedFor(app, logger, /\/drop could not be fetched/);
    assert.equal(server.count('/drop'), 1);
  });

  it('a huge body with a Content-Length over the default 1 MiB: refused before reading (1 download)', async () => {
    server.serve('/huge', JSON.stringify({ keys: [key.jwk], pad: 'x'.repeat(1024 * 1024) }));
    const { app, logger } = await appAt('/huge');
    await refusedFor(app, logger, /\/huge sent \d+ bytes, more than the 1048576-byte limit/);
    assert.equal(server.count('/huge'), 1);
  });

  it('a huge body streamed with no length: reading stops at keyFetchMaxBytes (1 download)', async () => {
    server.serve('/stream', JSON.stringify({ keys: [key.jwk], pad: 'x'.repeat(4 * 1024 * 1024) }), { send: 'chunked' });
    const { app, logger } = await appAt('/stream', { keyFetchMaxBytes: 100_000 });
    await refusedFor(app, logger, /\/stream sent more than the 100000-byte limit/);
    assert.equal(server.count('/stream'), 1);
  });

  it('a body under keyFetchMaxBytes is read whole, streamed or not', async () => {
    server.serve('/small-stream', jwks(key), { send: 'chunked' });
    const { app } = await appAt('/small-stream', { keyFetchMaxBytes: 100_000 });
    assert.equal((await call(app)).status, 200);
  });

  describe('redirects', () => {
    let other: KeyServer;
    before(async () => {
      other = await new KeyServer().start();
      other.serve('/jwks', jwks(key));
    });
    after(() => other.stop());

    it('to another host: refused unless keyFetchCrossHostRedirects (1 download, the other host untouched)', async () => {
      server.serve('/moved', '', { status: 302, headers: { location: other.url('/jwks') } });
      const { app, logger } = await appAt('/moved');
      await refusedFor(app, logger, /\/moved redirects to another host \(127\.0\.0\.1:\d+\)/);
      assert.equal(server.count('/moved'), 1);
      assert.equal(other.count('/jwks'), 0);
    });

    it('to another host with keyFetchCrossHostRedirects: true: followed', async () => {
      server.serve('/moved-ok', '', { status: 301, headers: { location: other.url('/jwks') } });
      const { app } = await appAt('/moved-ok', { keyFetchCrossHostRedirects: true });
      const before = other.count('/jwks');
      assert.equal((await call(app)).status, 200);
      assert.equal(server.count('/moved-ok'), 1);
      assert.equal(other.count('/jwks'), before + 1);
    });

    it('on the same host: followed without the option', async () => {
      server.serve('/here', jwks(key));
      server.serve('/go-here', '', { status: 307, headers: { location: '/here' } });
      const { app } = await appAt('/go-here');
      assert.equal((await call(app)).status, 200);
      assert.equal(server.count('/go-here'), 1);
      assert.equal(server.count('/here'), 1);
    });

    it('a redirect loop: refused after 5 hops (6 downloads)', async () => {
      server.serve('/loop', '', { status: 302, headers: { location: '/loop' } });
      const { app, logger } = await appAt('/loop');
      await refusedFor(app, logger, /too many redirects/);
      assert.equal(server.count('/loop'), 6);
    });
  });

  it('after a failure, requests within the backoff are refused at once with no download; the next one after it retries', async () => {
    server.serve('/flaky', 'down', { status: 503 });
    const { app, logger } = await appAt('/flaky');
    await refusedFor(app, logger, /\/flaky answered HTTP 503.*next try in 1000 ms/);
    for (let i = 0; i < 5; i++) assert.equal((await call(app)).text, FETCH_FAILED);
    assert.equal(server.count('/flaky'), 1, 'no download during the backoff');
    server.serve('/flaky', jwks(key));
    await new Promise((r) => setTimeout(r, 1050));
    assert.equal((await call(app)).status, 200);
    assert.equal(server.count('/flaky'), 2);
  });

  it('a server that keeps failing is retried with doubling waits, never per request', async () => {
    server.serve('/down', 'down', { status: 500 });
    const { app, logger } = await appAt('/down');
    await call(app);
    await new Promise((r) => setTimeout(r, 1050));
    await call(app);
    assert.equal(server.count('/down'), 2);
    assert.deepEqual(
      logger.matching(/\/down answered HTTP 500/, 'warn').map((m) => /next try in (\d+) ms/.exec(m)?.[1]),
      ['1000', '2000'],
    );
    for (let i = 0; i < 3; i++) await call(app);
    assert.equal(server.count('/down'), 2);
  });
});
