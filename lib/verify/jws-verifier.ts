import type { VerifyKey } from '../keys/key-entry.js';
import { nodeJwsVerifier } from './node-jws-verifier.js';
import { webCryptoJwsVerifier } from './webcrypto-jws-verifier.js';

/**
 * Checks one JWS signature: `signingInput` is the ASCII bytes of `header.payload` as received,
 * `signature` the decoded third section. Resolves false (never rejects) when the signature does not
 * verify or cannot be checked.
 */
export type JwsVerifier = (signingInput: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/**
 * The verifier of one key for one algorithm, made once and reused for every token: node:crypto's on
 * Node (on the main thread about half of WebCrypto's cost and a fifth of a synchronous verify's, see
 * docs/benchmarks.md), WebCrypto's elsewhere. Undefined when the key cannot serve: RSA under 2048
 * bits is refused, as jose refuses it.
 */
export async function jwsVerifier(alg: string, key: VerifyKey): Promise<JwsVerifier | undefined> {
  if (!(key instanceof Uint8Array) && (alg.startsWith('RS') || alg.startsWith('PS')) && rsaBits(key) < MIN_RSA_BITS) return undefined;
  if (key instanceof Uint8Array && key.length === 0) return undefined;
  try {
    const onNode = nodeJwsVerifier(alg, key);
    if (onNode) return onNode;
  } catch {
    // A key node:crypto cannot take as a KeyObject: WebCrypto, which imported it, checks it.
  }
  return webCryptoJwsVerifier(alg, key);
}

const MIN_RSA_BITS = 2048;

function rsaBits(key: CryptoKey): number {
  const { modulusLength } = key.algorithm as RsaHashedKeyAlgorithm;
  return typeof modulusLength === 'number' ? modulusLength : 0;
}
