import { base64url } from 'jose';
import { hasDuplicateKeys } from './duplicate-keys.js';

/**
 * ESPv2 decodes with absl's web-safe decoder: only A-Z a-z 0-9 - _ with optional "=" padding. jose's
 * decoder is more forgiving (it also takes "+", "/" and white space), so the alphabet is checked
 * here first and jose does the decoding.
 */
const WEB_SAFE = /^[A-Za-z0-9_-]*(?:={1,2})?$/;

export function decodeBase64UrlStrict(text: string): Uint8Array | undefined {
  if (!WEB_SAFE.test(text)) return undefined;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  if (bare.length !== text.length && text.length % 4 !== 0) return undefined;
  try {
    return base64url.decode(bare);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 bytes into a JSON object; undefined when any step fails, when it is not an object, or
 * (ours) when an object in it repeats a member name.
 */
export function decodeJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return hasDuplicateKeys(text) ? undefined : (value as Record<string, unknown>);
}
