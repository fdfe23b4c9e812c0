import type { TokenFailure } from '../failures/failure.js';
import type { KeyEntry } from '../keys/key-entry.js';
import type { KeySet } from '../keys/key-set.js';
import { decodeBase64UrlStrict } from './base64url.js';
import type { ParsedToken } from './parse-token.js';
import type { Result } from '../kernel/result.js';

export type SignatureResult = Result<{ key: KeyEntry }, TokenFailure>;

const ascii = new TextEncoder();

/**
 * ESPv2's key selection (jwt_verify_lib): a key is skipped when both it and the token carry a `kid`
 * and they differ, or when the key declares an `alg` other than the token's; a token without `kid`
 * tries every key. No candidate at all: `key_not_found`; candidates of which none verifies:
 * `verification_failed`. An Ed25519 candidate facing a signature that is not 64 bytes ends the search
 * with its own failure. The token was parsed once, by parseToken: the key's verifier gets the
 * signed bytes and the signature from it, and nothing parses the token again.
 *
 * Ours: a token whose header asks for a JWS extension (`crit`) or an unencoded payload (`b64` other
 * than true, RFC 7797) never verifies. ESPv2 ignores both and reads the payload as base64url JSON
 * anyway; refusing them keeps the claims we check the only reading of the token.
 */
export async function verifySignature(token: ParsedToken, keys: KeySet): Promise<SignatureResult> {
  const extended = token.header.crit !== undefined || (token.header.b64 !== undefined && token.header.b64 !== true);
  let candidates = 0;
  let signed: { readonly input: Uint8Array; readonly signature: Uint8Array } | undefined;
  for (const key of keys.keys) {
    if (token.kid && key.kid && key.kid !== token.kid) continue;
    if (key.alg && key.alg !== token.alg) continue;
    candidates++;
    if (key.kty === 'OKP' && token.signatureLength !== 64) return { ok: false, failure: { kind: 'ed25519_signature_length' } };
    if (extended) continue;
    const made = key.verifierFor(token.alg);
    const verifier = made instanceof Promise ? await made : made;
    if (!verifier) continue;
    signed ??= signedParts(token);
    if (await verifier(signed.input, signed.signature)) return { ok: true, key };
  }
  return { ok: false, failure: { kind: candidates ? 'verification_failed' : 'key_not_found' } };
}

/** `header.payload` as the bytes that were signed, and the signature decoded (parseToken checked its alphabet). */
function signedParts(token: ParsedToken): { readonly input: Uint8Array; readonly signature: Uint8Array } {
  const dot = token.compact.lastIndexOf('.');
  return { input: ascii.encode(token.compact.slice(0, dot)), signature: decodeBase64UrlStrict(token.compact.slice(dot + 1)) ?? new Uint8Array() };
}
