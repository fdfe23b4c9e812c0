import { after, before, describe, it } from 'node:test';
import { KeyServer } from '../helpers/key-server.js';
import { makeKey } from '../helpers/keys.js';
import { AUDIENCE, providersDoc } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { certKey, x509Map } from '../helpers/certs.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';
import type { TestKey } from '../helpers/keys.js';

// Google's service-account key format, {kid: "-----BEGIN CERTIFICATE-----..."}: RSA keys without alg,
// selected by kid like a JWKS; one certificate that cannot be read fails the whole set (Envoy's
// Jwks::createFromGoogleX509) -> "Jwks remote fetch is failed".
describe('X.509 certificate maps', () => {
  let server: KeyServer;
  let app: TestApp;
  let first: TestKey;
  let second: TestKey;
  const iss = (p: string) => `https://${p}.iam.test`;

  before(async () => {
    server = await new KeyServer().start();
    const a = await certKey(1, 'cert-a');
    const b = await certKey(2, 'cert-b');
    first = a;
    second = b;
    const map = x509Map(a, b);
    const broken = { 'cert-a': a.cert, 'cert-x': a.cert.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!') };
    app = await startApp(
      providersDoc([
        { name: 'sa', issuer: iss('sa'), jwksUri: server.serve('/x509', map) },
        { name: 'broken', issuer: iss('broken'), jwksUri: server.serve('/broken', broken) },
      ]),
      { unknownKidCooldownSeconds: 3600 },
    );
  });
  after(async () => {
    await app.close();
    await server.stop();
  });

  const send = async (path: string, key: TestKey, issuer: string, header: Record<string, unknown> = {}) =>
    app.send(path, { headers: bearer(await mint(key, { iss: issuer, aud: AUDIENCE, exp: NOW_S + 600 }, header)) });

  it('a token whose kid names the first certificate passes', async () => assertReached(await send('/p/sa', first, iss('sa'))));
  it('a token whose kid names the second certificate passes', async () => assertReached(await send('/p/sa', second, iss('sa'))));
  it('a token without kid tries every certificate', async () => assertReached(await send('/p/sa', second, iss('sa'), { kid: undefined })));
  it('a kid the map lacks -> Jwks doesn\'t have key to match kid or alg from Jwt', async () =>
    assertRefusal(await send('/p/sa', first, iss('sa'), { kid: 'cert-z' }), app.base, '/p/sa', 401, "Jwks doesn't have key to match kid or alg from Jwt"));
  it('signed by the other certificate\'s key under this kid -> Jwt verification fails', async () =>
    assertRefusal(await send('/p/sa', second, iss('sa'), { kid: 'cert-a' }), app.base, '/p/sa', 401, 'Jwt verification fails'));
  it('an ES256 token whose kid names an RSA certificate -> Jwt verification fails', async () => {
    const ec = await makeKey('ES256', { kid: 'cert-a' });
    assertRefusal(await send('/p/sa', ec, iss('sa')), app.base, '/p/sa', 401, 'Jwt verification fails');
  });
  it('one unreadable certificate fails the whole map -> Jwks remote fetch is failed', async () =>
    assertRefusal(await send('/p/broken', first, iss('broken')), app.base, '/p/broken', 401, 'Jwks remote fetch is failed'));
});
