import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type SigningAlg, type TestKey } from '../helpers/keys.js';
import { bookstore, ISSUER, AUDIENCE } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';

// jwt_verify_lib's verify_jwk_*_test.cc: every supported algorithm verifies with its own key, and a
// signature from any other key of the same kind gives "Jwt verification fails".
const ALGS: SigningAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA'];
const PATH = '/v1/shelves';

describe('every algorithm ESPv2 supports, with keys the test makes', () => {
  let server: KeyServer;
  let app: TestApp;
  const keys = new Map<SigningAlg, TestKey>();
  let plainRsa: TestKey;
  const claims = { iss: ISSUER, sub: 'user-1', aud: AUDIENCE, exp: NOW_S + 600 };

  before(async () => {
    server = await new KeyServer().start();
    for (const alg of ALGS) keys.set(alg, await makeKey(alg));
    plainRsa = await makeKey('RS256', { jwkAlg: false });
    app = await startApp(bookstore(server.serve('/jwks', jwks(...keys.values(), plainRsa))));
  });
  after(async () => {
    await app.close();
    await server.stop();
  });

  for (const alg of ALGS) {
    it(`${alg}: a token signed with the published key passes`, async () => {
      const r = await app.send(PATH, { headers: bearer(await mint(keys.get(alg)!, claims)) });
      assertReached(r);
      assert.equal(r.json.auth.claims.sub, 'user-1');
    });

    it(`${alg}: a token signed by another ${alg} key under the same kid -> Jwt verification fails`, async () => {
      const impostor = await makeKey(alg, { kid: keys.get(alg)!.kid });
      assertRefusal(await app.send(PATH, { headers: bearer(await mint(impostor, claims)) }), app.base, PATH, 401, 'Jwt verification fails');
    });

    it(`${alg}: a payload changed after signing -> Jwt verification fails`, async () => {
      const [h, , s] = (await mint(keys.get(alg)!, claims)).split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`;
      assertRefusal(await app.send(PATH, { headers: bearer(forged) }), app.base, PATH, 401, 'Jwt verification fails');
    });
  }

  // verify_jwk_okp_test.cc fuzzes the signature length: anything but 64 bytes has its own message.
  for (const length of [0, 1, 63, 65, 128]) {
    it(`EdDSA signature of ${length} bytes -> Jwt ED25519 signature is wrong length`, async () => {
      const [h, p] = (await mint(keys.get('EdDSA')!, claims)).split('.');
      // An empty signature section is dropped by the parse and gives the two-dots message instead.
      const sig = Buffer.alloc(length, 7).toString('base64url');
      const message = length === 0 ? 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections' : 'Jwt ED25519 signature is wrong length';
      assertRefusal(await app.send(PATH, { headers: bearer(`${h}.${p}.${sig}`) }), app.base, PATH, 401, message);
    });
  }

  it('the Ed25519 length rule needs an OKP candidate: a kid naming an RSA key without alg -> Jwt verification fails', async () => {
    const [h, p] = (await mint(keys.get('EdDSA')!, claims, { kid: plainRsa.kid })).split('.');
    assertRefusal(await app.send(PATH, { headers: bearer(`${h}.${p}.${Buffer.alloc(10).toString('base64url')}`) }), app.base, PATH, 401, 'Jwt verification fails');
  });

});
