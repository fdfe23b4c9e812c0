import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, generateSecret, type JWK } from 'jose';

export type SigningAlg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'HS256' | 'HS384' | 'HS512' | 'EdDSA';

/** A key pair made by the test, with its public JWK (kid and alg set unless told otherwise). */
export interface TestKey {
  readonly alg: SigningAlg;
  readonly kid: string;
  /** RSA keys are node KeyObjects, so one key can sign RS* and PS* alike. */
  readonly privateKey: CryptoKey | KeyObject | Uint8Array;
  /** Public JWK (for HS*, the secret as an oct JWK). */
  readonly jwk: JWK;
  /** SPKI PEM of the public key (asymmetric only). */
  readonly pem: string | undefined;
}

let counter = 0;

export async function makeKey(alg: SigningAlg, opts: { kid?: string; jwkAlg?: boolean } = {}): Promise<TestKey> {
  const kid = opts.kid ?? `test-key-${++counter}`;
  if (alg.startsWith('HS')) {
    const secret = (await generateSecret(alg, { extractable: true })) as CryptoKey;
    const jwk = await exportJWK(secret);
    const raw = new Uint8Array(Buffer.from(jwk.k!, 'base64url'));
    return { alg, kid, privateKey: raw, jwk: { ...jwk, kid, ...(opts.jwkAlg === false ? {} : { alg }) }, pem: undefined };
  }
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(pair.publicKey);
    return {
      alg,
      kid,
      privateKey: pair.privateKey,
      jwk: { ...jwk, kid, ...(opts.jwkAlg === false ? {} : { alg }), use: 'sig' },
      pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const jwk = await exportJWK(publicKey);
  return {
    alg,
    kid,
    privateKey,
    jwk: { ...jwk, kid, ...(opts.jwkAlg === false ? {} : { alg }), use: 'sig' },
    pem: await exportSPKI(publicKey),
  };
}

export function jwks(...keys: TestKey[]): { keys: JWK[] } {
  return { keys: keys.map((k) => k.jwk) };
}
