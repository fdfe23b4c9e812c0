import type { MaybePromise } from '../kernel/maybe-async.js';
import type { TokenFailure } from '../failures/failure.js';
import type { KeyEntry } from '../keys/key-entry.js';
import type { KeySet } from '../keys/key-set.js';
import { asciiBytes, decodeCheckedBase64Url } from './base64url.js';
import type { JwsVerifier } from './jws-verifier.js';
import { verifierOf } from './key-verifiers.js';
import type { ParsedToken } from './parse-token.js';
import type { Result } from '../kernel/result.js';

export type SignatureResult = Result<{ key: KeyEntry }, TokenFailure>;

const KEY_NOT_FOUND: SignatureResult = Object.freeze({ ok: false, failure: Object.freeze({ kind: 'key_not_found' }) });
const NOT_VERIFIED: SignatureResult = Object.freeze({ ok: false, failure: Object.freeze({ kind: 'verification_failed' }) });
const ED25519_LENGTH: SignatureResult = Object.freeze({ ok: false, failure: Object.freeze({ kind: 'ed25519_signature_length' }) });

/**
 * ESPv2's key selection (jwt_verify_lib): keys are tried in order; a key is skipped when both it and
 * the token carry a `kid` and they differ, or when the key declares an `alg` other than the token's;
 * a token without `kid` tries every key. No candidate at all: `key_not_found`; candidates of which none
 * verifies: `verification_failed`. An Ed25519 candidate facing a signature that is not 64 bytes ends
 * the search with its own failure. The token was parsed once, by parseToken: the key's verifier gets
 * the signed bytes and the signature from it, and nothing parses the token again.
 *
 * Ours: a token whose header asks for a JWS extension (`crit`) or an unencoded payload (`b64` other
 * than true, RFC 7797) never verifies. ESPv2 ignores both and reads the payload as base64url JSON
 * anyway; refusing them keeps the claims we check the only reading of the token.
 *
 * Written with `then` rather than `async`: the usual token costs one promise, its signature check's.
 */
export function verifySignature(token: ParsedToken, keys: KeySet): MaybePromise<SignatureResult> {
  const extended = token.header.crit !== undefined || (token.header.b64 !== undefined && token.header.b64 !== true);
  const list = keys.keys;
  let candidates = 0;
  let signed: { readonly input: Uint8Array; readonly signature: Uint8Array } | undefined;

  const tryFrom = (start: number): MaybePromise<SignatureResult> => {
    for (let i = start; i < list.length; i++) {
      const key = list[i]!;
      if (token.kid && key.kid && key.kid !== token.kid) continue;
      if (key.alg && key.alg !== token.alg) continue;
      candidates++;
      if (key.kty === 'OKP' && token.signatureLength !== 64) return ED25519_LENGTH;
      if (extended) continue;
      const made = verifierOf(key, token.alg);
      if (made instanceof Promise) return made.then((verifier) => check(verifier, key, i));
      if (made) return check(made, key, i);
    }
    return candidates ? NOT_VERIFIED : KEY_NOT_FOUND;
  };
  const check = (verifier: JwsVerifier | undefined, key: KeyEntry, i: number): MaybePromise<SignatureResult> => {
    if (!verifier) return tryFrom(i + 1);
    signed ??= signedParts(token);
    return verifier(signed.input, signed.signature).then((ok) => (ok ? { ok: true, key } : tryFrom(i + 1)));
  };
  return tryFrom(0);
}

/** `header.payload` as the bytes that were signed, and the signature decoded (parseToken checked its alphabet). */
function signedParts(token: ParsedToken): { readonly input: Uint8Array; readonly signature: Uint8Array } {
  const dot = token.compact.lastIndexOf('.');
  return { input: asciiBytes(token.compact.slice(0, dot)), signature: decodeCheckedBase64Url(token.compact.slice(dot + 1)) };
}
