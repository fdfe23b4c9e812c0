import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { endpointsAuth, KeyDownloadError, type Compatibility } from '../../lib/index.js';
import { explain } from '../../lib/explain/explain.js';
import { bookstore, ISSUER, AUDIENCE } from '../helpers/fixture.js';
import { KeyServer } from '../helpers/key-server.js';
import { makeKey } from '../helpers/keys.js';
import { recordingLogger } from '../helpers/logger.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// fetch reports every network failure as "fetch failed": the error users get must say which one.
describe('KeyDownloadError names the network cause', () => {
  let refusedUrl: string;
  let tls: https.Server;
  let tlsUrl: string;
  before(async () => {
    const gone = await new KeyServer().start();
    refusedUrl = gone.url('/jwks');
    await gone.stop();
    // A real TLS server whose certificate nobody trusts (self-signed, and for another name).
    const fixtures = new URL('../fixtures/x509/', import.meta.url);
    tls = https.createServer({ cert: readFileSync(new URL('sa-1.cert.pem', fixtures)), key: readFileSync(new URL('sa-1.key.pem', fixtures)) }, (_q, s) => s.end('{}'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/jwks`;
  });
  after(() => new Promise<void>((resolve) => tls.close(() => resolve())));

  const cases: { what: string; url: () => string; code: RegExp }[] = [
    { what: 'connection refused', url: () => refusedUrl, code: /^ECONNREFUSED$/ },
    // .invalid never resolves (RFC 6761); without a resolver at all the lookup fails with EAI_AGAIN.
    { what: 'a name that does not resolve', url: () => 'http://keys.example.invalid/jwks', code: /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/ },
    { what: 'a certificate that is not trusted', url: () => tlsUrl, code: /CERT|SELF_SIGNED|TLS/ },
  ];

  for (const compatibility of ['espv2', 'esp'] as Compatibility[]) {
    for (const c of cases) {
      it(`${compatibility}: ${c.what}: ready() rejects with the exported KeyDownloadError, the network error as its cause, and the logger names it`, async () => {
        const logger = recordingLogger();
        const auth = endpointsAuth(bookstore(c.url()), { compatibility, logger, keyFetchTimeoutMs: 10_000 });
        try {
          const error = await auth.ready().then(() => assert.fail('ready() resolved'), (e: unknown) => e);
          assert.ok(error instanceof KeyDownloadError, String(error));
          assert.equal(error.code, 'ERR_KEY_DOWNLOAD');
          const cause = error.cause as { code?: string };
          assert.match(String(cause?.code), c.code);
          assert.ok(error.message.includes(cause.code!), error.message);
          assert.doesNotMatch(error.message, /fetch failed/);
          assert.ok(logger.matching(new RegExp(cause.code!), 'warn').length > 0, JSON.stringify(logger.lines));
        } finally {
          auth.close();
        }
      });
    }
  }

  it('a port fetch refuses before connecting (6000, X11) is named as such, not "fetch failed"', async () => {
    const auth = endpointsAuth(bookstore('http://127.0.0.1:6000/jwks'));
    try {
      await assert.rejects(auth.ready(), (e: unknown) => e instanceof KeyDownloadError && /bad port \(fetch never connects to this port/.test(e.message));
    } finally {
      auth.close();
    }
  });

  it('explain names the network cause in the keys step', async () => {
    const key = await makeKey('RS256');
    const token = await mint(key, { iss: ISSUER, sub: 'u', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 600 });
    const report = await explain(bookstore(refusedUrl), { token, path: '/v1/shelves' });
    assert.equal(report.verdict, 'deny');
    const keys = report.steps.find((s) => s.check === 'keys');
    assert.ok(keys && !keys.ok);
    assert.match(keys.detail, /ECONNREFUSED/);
  });
});
