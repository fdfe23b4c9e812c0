import type { VerifyKey } from '../keys/key-entry.js';
import { webCryptoJwsVerifier } from './webcrypto-jws-verifier.js';

/**
 * Checks one JWS signature: `signingInput` is the ASCII bytes of `header.payload` as received,
 * `signature` the decoded third section. Resolves false (never rejects) when the signature does not
 * verify or cannot be checked.
 */
export type JwsVerifier = (signingInput: Uint8Array, signature: Uint8Array) => Promise<boolean>;

type MakeVerifier = (alg: string, key: VerifyKey) => JwsVerifier | Promise<JwsVerifier>;

let platform: Promise<MakeVerifier> | undefined;

/**
 * Node's crypto on Node: `crypto.verify` with a KeyObject made once per key and a callback, so the
 * arithmetic runs on libuv's thread pool; on the main thread it costs about half of WebCrypto's
 * check and a fifth of the synchronous call's (docs/benchmarks.md). Elsewhere (workerd, the Edge
 * runtime, Deno, Bun, browsers) WebCrypto, which every one of them implements in full, where their
 * node:crypto layers differ. node:crypto is loaded on first use rather than imported, so that the main
 * entry's module graph holds nothing Node-only.
 */
function loadPlatform(): Promise<MakeVerifier> {
  const versions = typeof process === 'undefined' ? undefined : (process.versions as Record<string, string | undefined> | undefined);
  const userAgent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  const onNode = typeof versions?.node === 'string' && !versions.bun && !versions.deno && userAgent !== 'Cloudflare-Workers';
  if (!onNode) return Promise.resolve(webCryptoJwsVerifier);
  return import('./node-jws-verifier.js').then(
    ({ nodeJwsVerifier }): MakeVerifier =>
      (alg, key) => {
        try {
          return nodeJwsVerifier(alg, key);
        } catch {
          // A key node:crypto cannot take as a KeyObject: WebCrypto, which imported it, checks it.
          return webCryptoJwsVerifier(alg, key);
        }
      },
    () => webCryptoJwsVerifier,
  );
}

/**
 * The verifier of one key for one algorithm, made once and reused for every token. Undefined when
 * the key cannot serve: RSA under 2048 bits is refused, as jose refuses it.
 */
export async function jwsVerifier(alg: string, key: VerifyKey): Promise<JwsVerifier | undefined> {
  if (!(key instanceof Uint8Array) && (alg.startsWith('RS') || alg.startsWith('PS')) && rsaBits(key) < MIN_RSA_BITS) return undefined;
  if (key instanceof Uint8Array && key.length === 0) return undefined;
  return (await (platform ??= loadPlatform()))(alg, key);
}

const MIN_RSA_BITS = 2048;

function rsaBits(key: CryptoKey): number {
  const { modulusLength } = key.algorithm as RsaHashedKeyAlgorithm;
  return typeof modulusLength === 'number' ? modulusLength : 0;
}

/** The digest size of an algorithm's hash in bits (256 for RS256, ES256, PS256, HS256...); 0 for EdDSA. */
export function hashBits(alg: string): number {
  return alg === 'EdDSA' ? 0 : Number(alg.slice(-3));
}
