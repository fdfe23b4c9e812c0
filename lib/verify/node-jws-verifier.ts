import type { KeyObject, VerifyKeyObjectInput } from 'node:crypto';
import { optionalNodeBuiltin } from '../kernel/node-builtin.js';
import type { VerifyKey } from '../keys/key-entry.js';
import { hashBits } from './hash-bits.js';
import type { JwsVerifier } from './jws-verifier.js';

/**
 * node:crypto on Node itself, undefined elsewhere: workerd, the Edge runtime, Deno and Bun implement
 * WebCrypto in full where their node:crypto layers differ. Reached through `process.getBuiltinModule`
 * (kernel/node-builtin.ts says why an import would not do).
 */
function nodeCrypto(): typeof import('node:crypto') | undefined {
  const g = globalThis as { process?: { versions?: Record<string, string | undefined> }; navigator?: { userAgent?: string } };
  const versions = g.process?.versions;
  if (typeof versions?.node !== 'string' || versions.bun || versions.deno || g.navigator?.userAgent === 'Cloudflare-Workers') return undefined;
  return optionalNodeBuiltin('node:crypto');
}

const crypto = nodeCrypto();

/**
 * node:crypto's verifier for one key and algorithm, or undefined off Node. The KeyObject is made once,
 * here; each check is one `crypto.verify` with a callback, which hands the arithmetic to libuv's
 * thread pool (measured against the synchronous call in docs/benchmarks.md). HMAC is computed on the
 * main thread: it costs a few microseconds, less than a trip to the pool. Throws when node:crypto
 * cannot take the key as a KeyObject.
 */
export function nodeJwsVerifier(alg: string, key: VerifyKey): JwsVerifier | undefined {
  if (!crypto) return undefined;
  const { constants, createHmac, createSecretKey, KeyObject: KeyObjects, timingSafeEqual, verify } = crypto;
  const bits = hashBits(alg);
  const hash = bits ? `sha${bits}` : null;
  if (key instanceof Uint8Array) {
    const secret = createSecretKey(key);
    return (signingInput, signature) => {
      const mac = createHmac(hash!, secret).update(signingInput).digest();
      return Promise.resolve(mac.length === signature.length && timingSafeEqual(mac, signature));
    };
  }
  const publicKey = KeyObjects.from(key);
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
