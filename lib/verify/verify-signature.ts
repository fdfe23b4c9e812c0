import { compactVerify } from 'jose';
import type { TokenFailure } from '../failures/failure.js';
import type { KeyEntry } from '../keys/key-entry.js';
import type { KeySet } from '../keys/key-set.js';
import type { ParsedToken } from './parse-token.js';
import type { Result } from '../kernel/result.js';

export type SignatureResult = Result<{ key: KeyEntry }, TokenFailure>;

/**
 * ESPv2's key selection (jwt_verify_lib): a key is skipped when both it and the token carry a `kid`
 * and they differ, or when the key declares an `alg` other than the token's; a token without `kid`
 * tries every key. No candidate at all: `key_not_found`; candidates of which none verifies:
 * `verification_failed`. An Ed25519 candidate facing a signature that is not 64 bytes ends the search
 * with its own failure. jose does the verification.
 *
 * Ours: a token whose header asks for a JWS extension (`crit`) or an unencoded payload (`b64` other
 * than true, RFC 7797) never verifies. ESPv2 ignores both and reads the payload as base64url JSON
 * anyway; refusing them keeps the claims we check the only reading of the token.
 */
export async function verifySignature(token: ParsedToken, keys: KeySet): Promise<SignatureResult> {
  const extended = token.header.crit !== undefined || (token.header.b64 !== undefined && token.header.b64 !== true);
  let candidates = 0;
  for (const key of keys.keys) {
    if (token.kid && key.kid && key.kid !== token.kid) continue;
    if (key.alg && key.alg !== token.alg) continue;
    candidates++;
    if (key.kty === 'OKP' && token.signatureLength !== 64) return { ok: false, failure: { kind: 'ed25519_signature_length' } };
    if (extended) continue;
    const material = await key.keyFor(token.alg);
    if (!material) continue;
    try {
      await compactVerify(token.compact, material, { algorithms: [token.alg] });
      return { ok: true, key };
    } catch {
      // Not this key; try the next candidate.
    }
  }
  return { ok: false, failure: { kind: candidates ? 'verification_failed' : 'key_not_found' } };
}
