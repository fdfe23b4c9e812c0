/** The digest size of a JWS algorithm's hash in bits (256 for RS256, ES256, PS256, HS256...); 0 for EdDSA. */
export function hashBits(alg: string): number {
  return alg === 'EdDSA' ? 0 : Number(alg.slice(-3));
}
