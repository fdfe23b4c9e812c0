import { importJWK, importSPKI, importX509 } from 'jose';
import { readJwk, type KeyType } from './read-jwk.js';

/** What a signature check needs from a key: a CryptoKey, or the secret bytes for HMAC. */
export type VerifyKey = CryptoKey | Uint8Array;

/**
 * One key of a provider's key set. Its material is imported through jose once per algorithm and
 * reused; `keyFor` answers undefined for an algorithm the key cannot serve (an RSA key asked for
 * HS256, a P-256 key asked for ES384...), so such a key never verifies.
 */
export interface KeyEntry {
  /** Empty when the key has none. */
  readonly kid: string;
  /** Empty when the key declares none. */
  readonly alg: string;
  readonly kty: KeyType;
  /** A stable description of the material, so a refresh can keep entries that did not change. */
  readonly fingerprint: string;
  keyFor(alg: string): Promise<VerifyKey | undefined>;
}

const CURVE_OF_ALG: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

function fits(kty: KeyType, crv: string, alg: string): boolean {
  switch (kty) {
    case 'RSA':
      return /^(RS|PS)(256|384|512)$/.test(alg);
    case 'EC':
      return CURVE_OF_ALG[alg] === crv;
    case 'oct':
      return /^HS(256|384|512)$/.test(alg);
    case 'OKP':
      return alg === 'EdDSA' && crv === 'Ed25519';
  }
}

function memoised(kty: KeyType, crv: string, load: (alg: string) => Promise<VerifyKey>): (alg: string) => Promise<VerifyKey | undefined> {
  const imported = new Map<string, Promise<VerifyKey | undefined>>();
  return (alg) => {
    if (!fits(kty, crv, alg)) return Promise.resolve(undefined);
    let p = imported.get(alg);
    if (!p) {
      p = load(alg).catch(() => undefined);
      imported.set(alg, p);
    }
    return p;
  };
}

const DEFAULT_ALG: Record<KeyType, (crv: string) => string> = {
  RSA: () => 'RS256',
  EC: (crv) => Object.keys(CURVE_OF_ALG).find((a) => CURVE_OF_ALG[a] === crv) ?? 'ES256',
  oct: () => 'HS256',
  OKP: () => 'EdDSA',
};

/**
 * A key from a JWKS, read by jwt_verify_lib's rules (readJwk) and imported through jose. Throws (with
 * the reason) when the key is unusable, so that the set can skip it.
 */
export async function keyFromJwk(jwk: Record<string, unknown>): Promise<KeyEntry> {
  const { kty, kid, alg, crv, material } = readJwk(jwk);
  const load = (as: string) => importJWK(material, as) as Promise<VerifyKey>;
  await load(fits(kty, crv, alg) ? alg : DEFAULT_ALG[kty](crv));
  return { kid, alg, kty, fingerprint: JSON.stringify([kid, alg, crv, material]), keyFor: memoised(kty, crv, load) };
}

const PROBE_ORDER: readonly [KeyType, string, string][] = [
  ['RSA', '', 'RS256'],
  ['EC', 'P-256', 'ES256'],
  ['EC', 'P-384', 'ES384'],
  ['EC', 'P-521', 'ES512'],
  ['OKP', 'Ed25519', 'EdDSA'],
];

/**
 * A key from PEM text: an X.509 certificate (Google's service-account maps) or an SPKI public key.
 * The key type is found by asking jose which family imports it.
 */
export async function keyFromPem(pem: string, kid: string): Promise<KeyEntry> {
  const isCert = pem.includes('-----BEGIN CERTIFICATE-----');
  const importer = (alg: string) => (isCert ? importX509(pem, alg) : importSPKI(pem, alg)) as Promise<VerifyKey>;
  for (const [kty, crv, alg] of PROBE_ORDER) {
    try {
      await importer(alg);
    } catch {
      continue;
    }
    return { kid, alg: '', kty, fingerprint: JSON.stringify([kid, pem]), keyFor: memoised(kty, crv, importer) };
  }
  throw new Error(isCert ? `certificate${kid ? ` for kid ${kid}` : ''} holds no usable public key` : 'PEM text holds no usable public key');
}
