import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, bookstore, ISSUER } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { certKey, x509Map, type CertKey } from '../helpers/certs.js';
import { KeyServer } from '../helpers/key-server.js';
import { makeKey, type TestKey } from '../helpers/keys.js';
import { recordingLogger, type RecordingLogger } from '../helpers/logger.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// Key documents are recognised from the answer, whatever its Content-Type: JWKS or Google's X.509
// certificate map; PEM text only in the keys option.
describe('key formats', () => {
  let server: KeyServer;
  let sa1: CertKey;
  let sa2: CertKey;
  let ec: TestKey;
  let rsa: TestKey;
  const apps: TestApp[] = [];

  before(async () => {
    server = await new KeyServer().start();
    [sa1, sa2, ec, rsa] = await Promise.all([certKey(1, 'cert-1'), certKey(2, 'cert-2'), makeKey('ES256', { kid: 'ec' }), makeKey('RS256', { kid: 'rsa' })]);
  });
  after(async () => {
    for (const app of apps) await app.close();
    await server.stop();
  });

  async function appAt(path: string): Promise<{ app: TestApp; logger: RecordingLogger }> {
    const logger = recordingLogger();
    const app = await startApp(bookstore(server.url(path)), { logger });
    apps.push(app);
    return { app, logger };
  }
  const call = async (app: TestApp, key: TestKey, header: Record<string, unknown> = {}) =>
    app.send('/v1/shelves', {
      headers: { authorization: `Bearer ${await mint(key, { iss: ISSUER, sub: 'u', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 600 }, header)}` },
    });

  it('JWKS: an invalid key is skipped (and logged) while a valid one remains', async () => {
    server.serve('/mixed', { keys: [{ kty: 'EC', crv: 'P-192', x: 'AA', y: 'AA', kid: 'odd' }, 'not a key', ec.jwk] });
    const { app, logger } = await appAt('/mixed');
    assert.equal((await call(app, ec)).status, 200);
    assert.equal(logger.matching(/\/mixed: skipped keys\[0\]: unsupported EC curve "P-192"/, 'warn').length, 1);
    assert.equal(logger.matching(/\/mixed: skipped keys\[1\]: not an object/, 'warn').length, 1);
    assert.equal(server.count('/mixed'), 1);
  });

  it('X.509 map: each kid verifies with its certificate; served as text/plain all the same', async () => {
    server.serve('/x509', JSON.stringify(x509Map(sa1, sa2)), { contentType: 'text/plain' });
    const { app, logger } = await appAt('/x509');
    assert.equal((await call(app, sa1)).status, 200);
    assert.equal((await call(app, sa2)).status, 200);
    const r = await call(app, sa1, { kid: 'cert-2' });
    assert.equal(r.text, espv2Body(401, 'Jwt verification fails'));
    assert.equal(logger.matching(/loaded 2 keys \(x509\)/, 'info').length, 1);
    assert.equal(server.count('/x509'), 1);
  });

  it('X.509 map: one bad certificate fails the whole set, as in ESPv2', async () => {
    server.serve('/x509-bad', { ...x509Map(sa1), broken: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' });
    const { app, logger } = await appAt('/x509-bad');
    assert.equal((await call(app, sa1)).text, espv2Body(401, 'Jwks remote fetch is failed'));
    assert.equal(logger.matching(/\/x509-bad: certificate for kid broken holds no usable public key/, 'warn').length, 1);
  });

  it('PEM text at the key URL: refused as ESPv2 refuses it (its remote JWKS is JSON only), the reason logged', async () => {
    server.serve('/pem', ec.pem!, { contentType: 'application/x-pem-file' });
    const { app, logger } = await appAt('/pem');
    assert.equal((await call(app, ec)).text, espv2Body(401, 'Jwks remote fetch is failed'));
    assert.equal(logger.matching(/\/pem: the answer is not JSON/, 'warn').length, 1);
  });

  /** An app whose `keys` option holds the issuer's material, and whose key URL serves nothing usable. */
  async function appWithKeys(material: string): Promise<{ app: TestApp; logger: RecordingLogger }> {
    server.serve('/unused', 'nothing here', { status: 404 });
    const logger = recordingLogger();
    const app = await startApp(bookstore(server.url('/unused')), { logger, keys: { [ISSUER]: material } });
    apps.push(app);
    return { app, logger };
  }

  it('PEM in the keys option: an SPKI public key verifies tokens with any kid', async () => {
    const { app, logger } = await appWithKeys(ec.pem!);
    assert.equal((await call(app, ec)).status, 200);
    assert.equal((await call(app, ec, { kid: 'whatever' })).status, 200);
    assert.equal(logger.matching(/loaded 1 key \(pem\)/, 'info').length, 1);
  });

  it('PEM in the keys option: several blocks (SPKI keys and certificates) make one set', async () => {
    const { app } = await appWithKeys(`${rsa.pem!}\n${sa2.cert}\n${ec.pem!}`);
    for (const key of [rsa, sa2, ec]) assert.equal((await call(app, key)).status, 200, key.kid);
  });

  it('PEM in the keys option that holds no key: logged, and the keys are downloaded instead', async () => {
    const { app, logger } = await appWithKeys('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    assert.equal((await call(app, ec)).text, espv2Body(401, 'Jwks remote fetch is failed'));
    assert.equal(logger.matching(/PEM text holds no usable public key; downloading from .*\/unused instead/, 'error').length, 1);
  });

  it('JSON that is neither a JWKS nor an X.509 map: refused, the reason logged', async () => {
    server.serve('/other', { jwks_uri: 'https://elsewhere' });
    const { app, logger } = await appAt('/other');
    assert.equal((await call(app, ec)).text, espv2Body(401, 'Jwks remote fetch is failed'));
    assert.equal(logger.matching(/needs "keys" \(JWKS\) or kid -> certificate entries \(X\.509 map\)/, 'warn').length, 1);
  });
});
