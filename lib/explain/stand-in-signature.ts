import { base64url, exportJWK, generateKeyPair, generateSecret, type JWK } from 'jose';
import { hashBits } from '../verify/hash-bits.js';
import { seeToken } from './describe.js';

/** The token signed again with a key made here, and that key's set, for the token's issuer. */
export interface StandIn {
  readonly token: string;
  readonly issuer: string;
  readonly jwks: { readonly keys: readonly JWK[] };
  /** HS*: the secret as ESP v1 reads a key document for it (the whole text, base64url). */
  readonly secret?: string;
}

/**
 * For `--offline`: the same header and payload sections, signed again with a throwaway key of the
 * token's algorithm (and `kid`), so that the engine, given that key as the issuer's, runs every check
 * after the signature (scopes, API keys) exactly as the middleware would, with no download. What it
 * cannot check is the signature itself, which offline explains say. Undefined when the token does not
 * get that far (not three sections, a header or payload that does not decode, no issuer): the engine
 * then refuses it before the keys, as the middleware would.
 */
export async function standInSignature(token: string): Promise<StandIn | undefined> {
  const parts = token.split('.').filter((p) => p !== '');
  if (parts.length !== 3) return undefined;
  const [headerSegment, payloadSegment] = parts as [string, string, string];
  const { header, claims } = seeToken(parts.join('.'));
  const alg = header?.alg;
  const issuer = claims?.iss;
  if (!header || typeof alg !== 'string' || typeof issuer !== 'string') return undefined;
  const params = signParams(alg);
  if (!params) return undefined;
  try {
    let signingKey: CryptoKey;
    let jwk: JWK;
    if (alg.startsWith('HS')) {
      signingKey = (await generateSecret(alg, { extractable: true })) as CryptoKey;
      jwk = await exportJWK(signingKey);
    } else {
      const pair = await generateKeyPair(alg, { extractable: true });
      signingKey = pair.privateKey;
      jwk = await exportJWK(pair.publicKey);
    }
    const signed = new TextEncoder().encode(`${headerSegment}.${payloadSegment}`);
    const signature = new Uint8Array(await crypto.subtle.sign(params, signingKey, signed));
    const kid = typeof header.kid === 'string' ? { kid: header.kid } : {};
    const secret = jwk.kty === 'oct' && typeof jwk.k === 'string' ? { secret: jwk.k } : {};
    return { token: `${headerSegment}.${payloadSegment}.${base64url.encode(signature)}`, issuer, jwks: { keys: [{ ...jwk, alg, ...kid }] }, ...secret };
  } catch {
    // An algorithm this platform cannot make a key for: the keys are then left unchecked, as before.
    return undefined;
  }
}

/** WebCrypto's parameters for signing as JWS `alg` does (ECDSA's signature comes out as JWS wants it, r and s). */
function signParams(alg: string): AlgorithmIdentifier | RsaPssParams | EcdsaParams | undefined {
  const bits = hashBits(alg);
  if (alg === 'EdDSA') return { name: 'Ed25519' };
  if (!bits) return undefined;
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5' };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', saltLength: bits / 8 };
  if (alg.startsWith('ES')) return { name: 'ECDSA', hash: `SHA-${bits}` };
  if (alg.startsWith('HS')) return { name: 'HMAC' };
  return undefined;
}
