import { base64url, type JWK } from 'jose';
import { decodeWebSafeBase64 } from './web-safe-base64.js';

export type KeyType = 'RSA' | 'EC' | 'oct' | 'OKP';

/** A JWK as jwt_verify_lib keeps it: its public material only, with the curve worked out. */
export interface JwkReading {
  readonly kty: KeyType;
  /** Empty when absent or not a string (jwt_verify_lib ignores a `kid` of another type). */
  readonly kid: string;
  /** Empty when absent or not a string, like `kid`. */
  readonly alg: string;
  /** EC: the curve in use (from `crv`, else from `alg`, else P-256); OKP: Ed25519; else empty. */
  readonly crv: string;
  /** The public members only, in the form jose imports: a private key's `d` and the rest are left out. */
  readonly material: JWK;
}

const EC_CURVES: readonly (readonly [alg: string, crv: string, bytes: number])[] = [
  ['ES256', 'P-256', 32],
  ['ES384', 'P-384', 48],
  ['ES512', 'P-521', 66],
];

/**
 * Reads one key of a JWKS by jwt_verify_lib's rules (jwks.cc extractJwk and its per-type helpers), or
 * throws with the reason the key is unusable; the set skips such a key. In short:
 * - `kty` must be the string "RSA", "EC", "oct" or "OKP"; `kid` and `alg` are ignored unless strings;
 * - an `alg` must fit the type: RSA "RS..." or "PS...", EC "ES...", oct HS256/384/512, OKP EdDSA;
 * - EC: `crv` absent is taken from `alg` (ES256 P-256, ES384 P-384, ES512 P-521), and P-256 when there
 *   is no `alg` either; `crv` and `alg` both present must be a pair;
 * - key members are strings in web-safe base64 (decodeWebSafeBase64);
 * - RSA: `e` is 3 or 65537, and `n` an odd number of 34 to 16,384 bits (BoringSSL's RSA_check_key);
 *   OKP: `crv` Ed25519 and a 32-byte `x`; oct: a non-empty `k`;
 * - private members (`d`, `p`, `q`...) are ignored: the key is read as its public part.
 * Whether an EC point lies on its curve is left to the import (node:crypto through jose).
 */
export function readJwk(jwk: Record<string, unknown>): JwkReading {
  const kty = jwk.kty;
  if (typeof kty !== 'string') throw new Error(kty === undefined ? 'no kty' : 'kty is not a string');
  const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
  const alg = typeof jwk.alg === 'string' ? jwk.alg : '';
  switch (kty) {
    case 'RSA':
      return readRsa(jwk, kid, alg);
    case 'EC':
      return readEc(jwk, kid, alg);
    case 'oct':
      return readOct(jwk, kid, alg);
    case 'OKP':
      return readOkp(jwk, kid, alg);
    default:
      throw new Error(`unsupported kty ${JSON.stringify(kty)}`);
  }
}

function readRsa(jwk: Record<string, unknown>, kid: string, alg: string): JwkReading {
  if (alg && !alg.startsWith('RS') && !alg.startsWith('PS')) throw new Error(`alg ${JSON.stringify(alg)} does not fit an RSA key`);
  const n = withoutLeadingZeros(member(jwk, 'n'));
  const e = withoutLeadingZeros(member(jwk, 'e'));
  if (!isExponent(e, [3]) && !isExponent(e, [1, 0, 1])) throw new Error('RSA "e" must be 3 or 65537');
  const bits = bitLength(n);
  if (bits < 34 || bits > 16384 || (n[n.length - 1]! & 1) === 0) throw new Error(`RSA "n" is no usable modulus (${bits} bits${bits && !(n[n.length - 1]! & 1) ? ', even' : ''})`);
  return { kty: 'RSA', kid, alg, crv: '', material: { kty: 'RSA', n: base64url.encode(n), e: base64url.encode(e) } };
}

function readEc(jwk: Record<string, unknown>, kid: string, alg: string): JwkReading {
  if (alg && !alg.startsWith('ES')) throw new Error(`alg ${JSON.stringify(alg)} does not fit an EC key`);
  if (jwk.crv !== undefined && typeof jwk.crv !== 'string') throw new Error('crv is not a string');
  const named = jwk.crv ?? '';
  if (alg && named && !EC_CURVES.some(([a, c]) => a === alg && c === named)) throw new Error(`alg ${alg} does not fit curve ${named}`);
  const curve = EC_CURVES.find(([a, c]) => a === alg || c === named || (!alg && !named && c === 'P-256'));
  if (!curve) throw new Error(`unsupported EC curve ${JSON.stringify(named || alg)}`);
  const [, crv, size] = curve;
  const coordinate = (name: string): string => {
    const bytes = withoutLeadingZeros(member(jwk, name));
    // A coordinate longer than the field can never be on the curve; shorter ones are padded, as a
    // big number has no fixed width in jwt_verify_lib (BN_bin2bn).
    if (bytes.length > size) throw new Error(`EC "${name}" is too long for ${crv}`);
    const padded = new Uint8Array(size);
    padded.set(bytes, size - bytes.length);
    return base64url.encode(padded);
  };
  return { kty: 'EC', kid, alg, crv, material: { kty: 'EC', crv, x: coordinate('x'), y: coordinate('y') } };
}

function readOct(jwk: Record<string, unknown>, kid: string, alg: string): JwkReading {
  if (alg && alg !== 'HS256' && alg !== 'HS384' && alg !== 'HS512') throw new Error(`alg ${JSON.stringify(alg)} does not fit an oct key`);
  const k = member(jwk, 'k');
  if (k.length === 0) throw new Error('oct "k" is empty');
  return { kty: 'oct', kid, alg, crv: '', material: { kty: 'oct', k: base64url.encode(k) } };
}

function readOkp(jwk: Record<string, unknown>, kid: string, alg: string): JwkReading {
  if (alg && alg !== 'EdDSA') throw new Error(`alg ${JSON.stringify(alg)} does not fit an OKP key`);
  if (jwk.crv !== 'Ed25519') throw new Error(`unsupported OKP curve ${JSON.stringify(jwk.crv)}`);
  const x = member(jwk, 'x');
  if (x.length !== 32) throw new Error('Ed25519 "x" is not 32 bytes');
  return { kty: 'OKP', kid, alg, crv: 'Ed25519', material: { kty: 'OKP', crv: 'Ed25519', x: base64url.encode(x) } };
}

/** A key member: present, a string, and web-safe base64. */
function member(jwk: Record<string, unknown>, name: string): Uint8Array {
  const value = jwk[name];
  if (typeof value !== 'string') throw new Error(`"${name}" is ${value === undefined ? 'missing' : 'not a string'}`);
  const bytes = decodeWebSafeBase64(value);
  if (!bytes) throw new Error(`"${name}" is not base64url`);
  return bytes;
}

function withoutLeadingZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

function isExponent(bytes: Uint8Array, value: readonly number[]): boolean {
  return bytes.length === value.length && value.every((b, i) => bytes[i] === b);
}

/** Bits of a big-endian number without leading zero bytes. */
function bitLength(bytes: Uint8Array): number {
  return bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!));
}
