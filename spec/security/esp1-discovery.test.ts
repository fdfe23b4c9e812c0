import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, bookstore } from '../helpers/fixture.js';
import { esp1Body, startApp } from '../helpers/app.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { observedFetch } from '../helpers/observed-fetch.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// ESP v1 modes find an issuer's keys by OpenID discovery when the document names no key URL. The
// discovery address comes from the document's issuer, never from how a token spells `iss`: ESP v1
// compares issuers with `http://`/`https://` and a trailing `/` stripped, so a token whose
// `iss` is `http://<issuer host>` passes the issuer check, and ESP v1 then fetched keys over plain HTTP
// from whoever answered there. Two real servers on loopback stand in for the issuer (reached as
// https://issuer.example) and for the attacker (answering http://issuer.example).
const ISSUER = 'https://issuer.example';

describe('ESP v1 modes: discovery and key URLs come from the document, not the token', () => {
  let issuer: KeyServer;
  let attacker: KeyServer;
  let real: TestKey;
  let forged: TestKey;
  before(async () => {
    [issuer, attacker] = await Promise.all([new KeyServer().start(), new KeyServer().start()]);
    [real, forged] = await Promise.all([makeKey('RS256', { kid: 'k1' }), makeKey('RS256', { kid: 'k1' })]);
    attacker.serve('/.well-known/openid-configuration', { jwks_uri: attacker.serve('/keys', jwks(forged)) });
  });
  after(async () => {
    await Promise.all([issuer.stop(), attacker.stop()]);
  });

  /** The bookstore with a discovery-only provider (no x-google-jwks_uri). */
  const documentFor = () => {
    const d = bookstore('unused');
    delete d.securityDefinitions.issuer['x-google-jwks_uri'];
    d.securityDefinitions.issuer['x-google-issuer'] = ISSUER;
    return d;
  };
  const token = (key: TestKey, iss: string) => mint(key, { iss, sub: 'u', aud: AUDIENCE, exp: NOW_S + 3600 });

  for (const compatibility of ['esp', 'esp-1.32'] as const) {
    it(`${compatibility}: a token spelling iss as http://<issuer host> never sends a download to that address`, async () => {
      const prefix = `/${compatibility}`;
      issuer.serve(`${prefix}/.well-known/openid-configuration`, { jwks_uri: issuer.serve(`${prefix}/keys`, jwks(real)) });
      const observed = observedFetch({ 'https://issuer.example/': issuer.url(`${prefix}/`), 'http://issuer.example/': attacker.url('/') });
      const app = await startApp(documentFor(), { compatibility, fetch: observed.fetch });
      try {
        for (const spelling of ['http://issuer.example', 'http://issuer.example/', 'issuer.example']) {
          const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await token(forged, spelling)}` } });
          assert.equal(r.status, 401, `forged token with iss ${spelling}: ${r.text}`);
          assert.notEqual(r.json?.reached, true);
        }
        assert.equal(attacker.hits.size, 0, 'the attacker was never asked');
        assert.deepEqual(observed.asked, ['https://issuer.example/.well-known/openid-configuration', issuer.url(`${prefix}/keys`)], 'one discovery, one key download, at the document issuer');
        for (const spelling of [ISSUER, 'http://issuer.example', 'issuer.example/']) {
          const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await token(real, spelling)}` } });
          assert.equal(r.status, 200, `real token with iss ${spelling}: ${r.text}`);
        }
        assert.equal(observed.asked.length, 2, 'every spelling shares the one key set');
      } finally {
        await app.close();
      }
    });
  }

  it('a failed discovery is tried again after 30 s (of the now clock), whatever spelling failed it', async () => {
    const failed = (reason: string) => esp1Body(16, `JWT validation failed: ${reason}`);
    issuer.serve('/retry/.well-known/openid-configuration', 'down', { status: 503 });
    const observed = observedFetch({ 'https://issuer.example/': issuer.url('/retry/') });
    let now = NOW_S * 1000;
    const app = await startApp(documentFor(), { compatibility: 'esp', fetch: observed.fetch, now: () => now });
    const call = async (spelling: string) => app.send('/v1/shelves', { headers: { authorization: `Bearer ${await token(real, spelling)}` } });
    try {
      assert.equal((await call('issuer.example/')).text, failed('Unable to fetch URI of the key via OpenID discovery. HTTP response code: 503'));
      issuer.serve('/retry/.well-known/openid-configuration', { jwks_uri: issuer.serve('/retry/keys', jwks(real)) });
      now += 29_000;
      assert.equal((await call(ISSUER)).text, failed('Cannot determine the URI of the key'), 'remembered for 30 s, as ESP v1 remembers it');
      assert.equal(issuer.hits.get('/retry/.well-known/openid-configuration'), 1);
      now += 1_000;
      const r = await call(ISSUER);
      assert.equal(r.status, 200, r.text);
      assert.equal(issuer.hits.get('/retry/.well-known/openid-configuration'), 2);
    } finally {
      await app.close();
    }
  });
});
