import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, bookstore, ISSUER } from '../helpers/fixture.js';
import { esp1Body, startApp, type TestApp } from '../helpers/app.js';
import { certKey, x509Map, type CertKey } from '../helpers/certs.js';
import { KeyServer } from '../helpers/key-server.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// ESP v1 with Google's X.509 certificate map ({kid: certificate}), both generations, over HTTP.
describe('ESP v1 and X.509 certificate maps', () => {
  let server: KeyServer;
  let a: CertKey;
  let b: CertKey;
  const apps: TestApp[] = [];
  before(async () => {
    server = await new KeyServer().start();
    [a, b] = await Promise.all([certKey(1, 'cert-a'), certKey(2, 'cert-b')]);
    server.serve('/certs', x509Map(a));
    const broken = { 'cert-a': a.cert, 'cert-x': a.cert.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!') };
    server.serve('/broken', broken);
  });
  after(async () => {
    for (const app of apps) await app.close();
    await server.stop();
  });
  const appFor = async (compatibility: 'esp' | 'esp-1.32', path = '/certs') => {
    const app = await startApp(bookstore(server.url(path)), { compatibility });
    apps.push(app);
    return app;
  };
  const claims = { iss: ISSUER, sub: 'user', aud: AUDIENCE, exp: NOW_S + 600 };
  const failed = (reason: string) => esp1Body(16, `JWT validation failed: ${reason}`);

  for (const mode of ['esp', 'esp-1.32'] as const) {
    it(`${mode}: a token signed by the certificate's key passes`, async () => {
      const app = await appFor(mode);
      const r = await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await mint(a, claims)}` } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.auth.claims.sub, 'user');
    });
  }

  it('esp: a kid the map lacks names the kid; esp-1.32 says KEY_RETRIEVAL_ERROR', async () => {
    const token = await mint(b, claims);
    const v160 = await (await appFor('esp')).send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(v160.status, 401);
    assert.equal(v160.text, failed('Could not find matching key in public key set for kid=cert-b'));
    assert.equal(v160.headers.get('www-authenticate'), 'Bearer, error="invalid_token"');
    const v132 = await (await appFor('esp-1.32')).send('/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(v132.text, failed('KEY_RETRIEVAL_ERROR'));
  });

  it('esp: a certificate that cannot be read names its kid', async () => {
    const forged = await mint({ ...a, kid: 'cert-x' }, claims);
    const r = await (await appFor('esp', '/broken')).send('/v1/shelves', { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(r.text, failed('Failed to extract public key from X509 for kid=cert-x'));
  });

  it('esp: a token signed by another key under a known kid fails verification', async () => {
    const wrong = await mint({ ...b, kid: 'cert-a' }, claims);
    const r = await (await appFor('esp')).send('/v1/shelves', { headers: { authorization: `Bearer ${wrong}` } });
    assert.equal(r.text, failed('JWT signature verification failed.'));
  });
});
