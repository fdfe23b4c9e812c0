import { SignJWT, base64url } from 'jose';
import { KeyObject, sign } from 'node:crypto';
import type { TestKey } from './keys.js';

export const NOW_S = Math.floor(Date.now() / 1000);

/** A real signed token. Claims default to a valid iss/aud/exp unless given (undefined deletes a claim). */
export async function mint(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  const h: Record<string, unknown> = { alg: key.alg, kid: key.kid, typ: 'JWT', ...header };
  for (const [k, v] of Object.entries(h)) if (v === undefined) delete h[k];
  return new SignJWT(payload).setProtectedHeader(h as { alg: string }).sign(key.privateKey);
}

/** Base64url of a string (for hand-made, malformed tokens). */
export const b64 = (s: string): string => base64url.encode(s);

/** A token assembled from raw section texts, signature bytes made up. */
export function rawToken(header: string, payload: string, signature = 'c2lnbmF0dXJl'): string {
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/**
 * An RS256 token over section texts given verbatim (duplicate names, odd spacing...), signed with the
 * key's private key through node:crypto, so that only the text, not the signature, is wrong.
 */
export function signSections(key: TestKey, header: string, payload: string): string {
  if (key.alg !== 'RS256') throw new Error('signSections signs RS256 only');
  const input = `${b64(header)}.${b64(payload)}`;
  const pk = key.privateKey;
  const signature = sign('sha256', Buffer.from(input), pk instanceof KeyObject ? pk : KeyObject.from(pk as CryptoKey));
  return `${input}.${signature.toString('base64url')}`;
}
