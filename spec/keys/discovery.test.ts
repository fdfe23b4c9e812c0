import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, bookstore, SERVICE } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { certKey, x509Map, type CertKey } from '../helpers/certs.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { recordingLogger } from '../helpers/logger.js';
import { observedFetch } from '../helpers/observed-fetch.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import type { EndpointsAuthOptions } from '../../lib/index.js';

// Where keys come from when the document gives no x-google-jwks_uri: OpenID discovery from the
// issuer as ESPv2 builds it, OpenAPI 3's openIdConnectUrl, and Google's default for service accounts.
describe('key discovery', () => {
  let server: KeyServer;
  let key: TestKey;
  let sa: CertKey;
  const apps: TestApp[] = [];

  before(async () => {
    server = await new KeyServer().start();
    [key, sa] = await Promise.all([makeKey('ES256'), certKey(1, 'sa-key')]);
  });
  after(async () => {
    for (const app of apps) await app.close();
    await server.stop();
  });

  /** The bookstore with its provider's issuer replaced and no x-google-jwks_uri. */
  async function appFor(issuer: string, options: EndpointsAuthOptions = {}, scheme: Record<string, unknown> = {}) {
    const app = await startApp(bookstore('', { 'x-google-issuer': issuer, 'x-google-jwks_uri': undefined, ...scheme }), options);
    apps.push(app);
    return app;
  }
  const call = async (app: TestApp, signer: TestKey, iss: string) =>
    app.send('/v1/shelves', { headers: { authorization: `Bearer ${await mint(signer, { iss, sub: 'u', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 600 })}` } });

  it('an http issuer with a trailing slash: one slash dropped, then /.well-known/openid-configuration (2 downloads)', async () => {
    const issuer = server.url('/tenant-a/');
    server.serve('/tenant-a/.well-known/openid-configuration', { issuer, jwks_uri: server.url('/tenant-a/keys') });
    server.serve('/tenant-a/keys', jwks(key));
    const app = await appFor(issuer);
    assert.equal((await call(app, key, issuer)).status, 200);
    assert.equal((await call(app, key, issuer)).status, 200);
    assert.equal(server.count('/tenant-a/.well-known/openid-configuration'), 1);
    assert.equal(server.count('/tenant-a/keys'), 1);
  });

  it('an issuer without a scheme is discovered over https://', async () => {
    const issuer = `${new URL(server.base).host}/tenant-b`;
    server.serve('/tenant-b/.well-known/openid-configuration', { jwks_uri: server.url('/tenant-b/keys') });
    server.serve('/tenant-b/keys', jwks(key));
    // No TLS on loopback: the observed fetch sends the https address to the same server over http.
    const observed = observedFetch({ [`https://${new URL(server.base).host}`]: server.base });
    const app = await appFor(issuer, { fetch: observed.fetch });
    assert.equal((await call(app, key, issuer)).status, 200);
    assert.deepEqual(observed.asked, [`https://${issuer}/.well-known/openid-configuration`, server.url('/tenant-b/keys')]);
  });

  it("OpenAPI 3 openIdConnectUrl is the discovery address, whatever the issuer", async () => {
    const issuer = 'https://login.example.test';
    server.serve('/oidc/config', { jwks_uri: server.url('/oidc/keys') });
    server.serve('/oidc/keys', jwks(key));
    const doc = {
      openapi: '3.0.3',
      info: { title: 'Shelves', version: '1' },
      servers: [{ url: `https://${SERVICE}` }],
      components: {
        securitySchemes: {
          oidc: { type: 'openIdConnect', openIdConnectUrl: server.url('/oidc/config'), 'x-google-issuer': issuer, 'x-google-audiences': AUDIENCE },
        },
      },
      security: [{ oidc: [] }],
      paths: { '/v1/shelves': { get: { operationId: 'listShelves', responses: { 200: { description: 'ok' } } } } },
    };
    const app = await startApp(doc);
    apps.push(app);
    assert.equal((await call(app, key, issuer)).status, 200);
    assert.equal(server.count('/oidc/config'), 1);
    assert.equal(server.count('/oidc/keys'), 1);
  });

  it('a discovery document without jwks_uri, or not JSON: 401 Jwks remote fetch is failed, the reason logged', async () => {
    for (const [name, body] of [['no-uri', { issuer: 'x' }], ['not-json', '<html>']] as const) {
      const issuer = server.url(`/${name}`);
      server.serve(`/${name}/.well-known/openid-configuration`, body);
      const logger = recordingLogger();
      const app = await appFor(issuer, { logger });
      const r = await call(app, key, issuer);
      assert.equal(r.text, espv2Body(401, 'Jwks remote fetch is failed'));
      const reason = name === 'no-uri' ? /has no string "jwks_uri"/ : /is not JSON/;
      assert.equal(logger.matching(reason, 'warn').length, 1, name);
    }
  });

  describe('Google service accounts', () => {
    const googleapis = 'https://www.googleapis.com';
    const viaLoopback = () => observedFetch({ [googleapis]: server.base });

    for (const issuer of ['espresso-test@espresso-project.iam.gserviceaccount.com', '1234567-compute@developer.gserviceaccount.com']) {
      it(`${issuer.split('@')[1]}: no x-google-jwks_uri means the account's X.509 map, not discovery (1 download)`, async () => {
        const path = `/service_accounts/v1/metadata/x509/${issuer}`;
        server.serve(path, x509Map(sa));
        const observed = viaLoopback();
        const app = await appFor(issuer, { fetch: observed.fetch });
        assert.equal((await call(app, sa, issuer)).status, 200);
        assert.deepEqual(observed.asked, [`${googleapis}${path}`]);
        assert.equal(server.count(path), 1);
      });
    }

    it('an explicit x-google-jwks_uri still wins', async () => {
      const issuer = 'other@espresso-project.iam.gserviceaccount.com';
      server.serve('/sa-explicit', jwks(key));
      const observed = viaLoopback();
      const app = await appFor(issuer, { fetch: observed.fetch }, { 'x-google-jwks_uri': server.url('/sa-explicit') });
      assert.equal((await call(app, key, issuer)).status, 200);
      assert.deepEqual(observed.asked, [server.url('/sa-explicit')]);
    });

    it("an email issuer outside gserviceaccount.com gets ESPv2's discovery address", async () => {
      const observed = observedFetch();
      const app = await appFor('robot@example.test', { fetch: observed.fetch });
      assert.equal((await call(app, key, 'robot@example.test')).status, 401);
      assert.deepEqual(observed.asked, ['https://robot@example.test/.well-known/openid-configuration']);
    });
  });
});
