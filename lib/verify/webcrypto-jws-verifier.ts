import type { VerifyKey } from '../keys/key-entry.js';
import { hashBits } from './hash-bits.js';
import type { JwsVerifier } from './jws-verifier.js';

/**
 * WebCrypto's verifier for one key and algorithm, for runtimes without node:crypto (workerd, the
 * Edge runtime): the parameters jose would pass to `crypto.subtle.verify`, worked out once.
 */
export async function webCryptoJwsVerifier(alg: string, key: VerifyKey): Promise<JwsVerifier> {
  const { subtle } = globalThis.crypto;
  const hash = `SHA-${hashBits(alg)}`;
  let cryptoKey: CryptoKey;
  let params: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  if (key instanceof Uint8Array) {
    cryptoKey = await subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash }, false, ['verify']);
    params = 'HMAC';
  } else {
    cryptoKey = key;
    params = alg.startsWith('PS')
      ? { name: 'RSA-PSS', saltLength: hashBits(alg) / 8 }
      : alg.startsWith('ES')
        ? { name: 'ECDSA', hash }
        : key.algorithm.name;
  }
  return (signingInput, signature) => subtle.verify(params, cryptoKey, signature as BufferSource, signingInput as BufferSource).catch(() => false);
}
