import { constants, createHmac, createSecretKey, KeyObject, timingSafeEqual, verify, type VerifyKeyObjectInput } from 'node:crypto';
import type { VerifyKey } from '../keys/key-entry.js';
import { hashBits, type JwsVerifier } from './jws-verifier.js';

/**
 * node:crypto's verifier for one key and algorithm. The KeyObject is made once, here; each check is
 * one `crypto.verify` with a callback, which hands the arithmetic to libuv's thread pool (measured
 * against the synchronous call in docs/benchmarks.md). HMAC is computed on the main thread: it costs
 * a few microseconds, less than a trip to the pool. Throws when the runtime cannot make a KeyObject.
 */
export function nodeJwsVerifier(alg: string, key: VerifyKey): JwsVerifier {
  const bits = hashBits(alg);
  const hash = bits ? `sha${bits}` : null;
  if (key instanceof Uint8Array) {
    const secret = createSecretKey(key);
    return (signingInput, signature) => {
      const mac = createHmac(hash!, secret).update(signingInput).digest();
      return Promise.resolve(mac.length === signature.length && timingSafeEqual(mac, signature));
    };
  }
  const publicKey = KeyObject.from(key);
  const input: VerifyKeyObjectInput | KeyObject = alg.startsWith('ES')
    ? { key: publicKey, dsaEncoding: 'ieee-p1363' }
    : alg.startsWith('PS')
      ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 }
      : publicKey;
  return (signingInput, signature) =>
    new Promise((resolve) => {
      try {
        verify(hash, signingInput, input, signature, (error, ok) => resolve(!error && ok));
      } catch {
        // Input node:crypto refuses before starting (it never does for what parseToken lets through).
        resolve(false);
      }
    });
}
