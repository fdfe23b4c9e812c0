import { keyFromJwk, keyFromPem, type KeyEntry } from './key-entry.js';
import { messageOf } from '../kernel/message-of.js';

export type KeyFormat = 'jwks' | 'x509' | 'pem';

export type ParsedKeySet =
  | { readonly ok: true; readonly format: KeyFormat; readonly keys: readonly KeyEntry[]; readonly skipped: readonly string[] }
  | { readonly ok: false; readonly error: string };

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * Reads a key document, detecting its format: a JWKS (`{"keys": [...]}`, invalid keys skipped while
 * one valid key remains), Google's X.509 map (`{kid: "-----BEGIN CERTIFICATE-----..."}`, where one bad
 * certificate fails the whole set, as in ESPv2), or PEM text (public keys or certificates).
 */
export async function parseKeySet(text: string): Promise<ParsedKeySet> {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return parsePem(trimmed);
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    return { ok: false, error: 'the answer is neither JSON nor PEM' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, error: 'the answer is not a JSON object' };
  const obj = doc as Record<string, unknown>;
  if ('keys' in obj) return parseJwks(obj.keys);
  const values = Object.entries(obj);
  if (values.length > 0 && values.every(([, v]) => typeof v === 'string' && v.includes('-----BEGIN CERTIFICATE-----'))) {
    return parseX509Map(values as [string, string][]);
  }
  return { ok: false, error: 'a JSON key document needs "keys" (JWKS) or kid -> certificate entries (X.509 map)' };
}

async function parseJwks(keys: unknown): Promise<ParsedKeySet> {
  if (!Array.isArray(keys)) return { ok: false, error: '"keys" is not a list' };
  const out: KeyEntry[] = [];
  const skipped: string[] = [];
  for (const [i, jwk] of keys.entries()) {
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
      skipped.push(`keys[${i}]: not an object`);
      continue;
    }
    try {
      out.push(await keyFromJwk(jwk as Record<string, unknown>));
    } catch (e) {
      skipped.push(`keys[${i}]: ${messageOf(e)}`);
    }
  }
  if (out.length === 0) return { ok: false, error: keys.length === 0 ? 'the key set is empty' : `no usable key (${skipped.join('; ')})` };
  return { ok: true, format: 'jwks', keys: out, skipped };
}

async function parseX509Map(entries: readonly [string, string][]): Promise<ParsedKeySet> {
  const out: KeyEntry[] = [];
  for (const [kid, pem] of entries) {
    try {
      out.push(await keyFromPem(pem, kid));
    } catch (e) {
      return { ok: false, error: messageOf(e) };
    }
  }
  return { ok: true, format: 'x509', keys: out, skipped: [] };
}

async function parsePem(text: string): Promise<ParsedKeySet> {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, error: 'malformed PEM text' };
  const out: KeyEntry[] = [];
  const skipped: string[] = [];
  for (const block of blocks) {
    try {
      out.push(await keyFromPem(block, ''));
    } catch (e) {
      skipped.push(messageOf(e));
    }
  }
  if (out.length === 0) return { ok: false, error: skipped.join('; ') };
  return { ok: true, format: 'pem', keys: out, skipped };
}
