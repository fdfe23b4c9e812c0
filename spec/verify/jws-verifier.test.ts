// The signature verifiers behind lib/verify/jws-verifier.ts: node:crypto's (used on Node) and
// WebCrypto's (used where Node is absent) must give the same answer for every algorithm, on real
// keys and real signatures, and refuse what jose refused when it verified.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { importJWK } from 'jose';
import { jwsVerifier } from '../../lib/verify/jws-verifier.js';
import { verifierOf } from '../../lib/verify/key-verifiers.js';
import type { VerifyKey } from '../../lib/keys/key-entry.js';
import { nodeJwsVerifier } from '../../lib/verify/node-jws-verifier.js';
import { webCryptoJwsVerifier } from '../../lib/verify/webcrypto-jws-verifier.js';
import { keyFromJwk } from '../../lib/keys/key-entry.js';
import { makeKey, type SigningAlg } from '../helpers/keys.js';
import { mint } from '../helpers/tokens.js';

const ALGS: SigningAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA'];

/** The signed bytes and the signature of a compact token. */
function split(token: string): [Uint8Array, Uint8Array] {
  const dot = token.lastIndexOf('.');
  return [new TextEncoder().encode(token.slice(0, dot)), new Uint8Array(Buffer.from(token.slice(dot + 1), 'base64url'))];
}

describe('JWS verifiers', () => {
  for (const alg of ALGS) {
    it(`${alg}: node:crypto and WebCrypto accept the signature and refuse a changed byte alike`, async () => {
      const key = await makeKey(alg);
      const imported = (await importJWK({ ...key.jwk, use: undefined }, alg)) as VerifyKey;
      const [input, signature] = split(await mint(key, { sub: 'verifier' }));
      const tampered = new Uint8Array(signature);
      tampered[tampered.length - 1]! ^= 1;
      const otherInput = new Uint8Array(input);
      otherInput[otherInput.length - 1]! ^= 1;
      for (const verifier of [nodeJwsVerifier(alg, imported)!, await webCryptoJwsVerifier(alg, imported), (await jwsVerifier(alg, imported))!]) {
        assert.equal(await verifier(input, signature), true);
        assert.equal(await verifier(input, tampered), false);
        assert.equal(await verifier(otherInput, signature), false);
        assert.equal(await verifier(input, signature.subarray(1)), false, 'a shorter signature');
        assert.equal(await verifier(input, new Uint8Array(0)), false, 'no signature');
      }
    });
  }

  it('refuses RSA keys under 2048 bits and empty HMAC secrets, as jose did', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    assert.equal(await jwsVerifier('RS256', (await importJWK(small, 'RS256')) as CryptoKey), undefined);
    assert.equal(await jwsVerifier('PS256', (await importJWK(small, 'PS256')) as CryptoKey), undefined);
    assert.equal(await jwsVerifier('HS256', new Uint8Array(0)), undefined);
  });

  it('makes one verifier per key and algorithm, then answers it without a promise', async () => {
    const key = await makeKey('RS256');
    const entry = await keyFromJwk({ ...key.jwk });
    const first = verifierOf(entry, 'RS256');
    assert.ok(first instanceof Promise, 'made on first use');
    const made = await first;
    assert.equal(typeof made, 'function');
    assert.equal(verifierOf(entry, 'RS256'), made, 'then the same verifier, with no promise');
    assert.notEqual(await verifierOf(entry, 'PS256'), made, 'another algorithm has its own');
    assert.equal(await verifierOf(entry, 'ES256'), undefined, 'an RSA key never serves ES256');
    assert.equal(verifierOf(entry, 'ES256'), undefined, 'and says so at once the second time');
  });
});
