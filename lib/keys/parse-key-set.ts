import { keyFromJwk, keyFromPem, type KeyEntry } from './key-entry.js';
import { readProtobufJson } from '../json/protobuf-json.js';
import { messageOf } from '../kernel/message-of.js';

type KeyFormat = 'jwks' | 'x509' | 'pem';

export type ParsedKeySet =
  | { readonly ok: true; readonly format: KeyFormat; readonly keys: readonly KeyEntry[]; readonly skipped: readonly string[] }
  | { readonly ok: false; readonly error: string };

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;
/** The exact framing jwt_verify_lib (jwks.cc shouldCheckX509) asks of every value of an X.509 map. */
const CERT_PREFIX = '-----BEGIN CERTIFICATE-----\n';
const CERT_SUFFIX = '\n-----END CERTIFICATE-----\n';

/**
 * Reads a key document as Envoy's jwt_authn reads a remote JWKS (jwt_verify_lib's Jwks::createFrom,
 * type JWKS): JSON as protobuf reads it (readProtobufJson), then either a JWKS (`{"keys": [...]}`,
 * unusable keys skipped while one usable key remains) or, with no `keys` member, Google's X.509 map
 * (`{kid: certificate}`, where one bad certificate fails the whole set). Anything else fails the set,
 * which ESPv2 answers "Jwks remote fetch is failed".
 * `pem`: also take PEM text (public keys or certificates). ESPv2 has no such format; only the `keys`
 * option, which has no ESPv2 counterpart, offers it.
 */
export async function parseKeySet(text: string, { pem }: { readonly pem: boolean }): Promise<ParsedKeySet> {
  if (pem && text.trimStart().startsWith('-----BEGIN')) return parsePem(text.trim());
  const doc = readProtobufJson(text);
  if (doc === undefined) return { ok: false, error: pem ? 'the answer is neither JSON nor PEM' : 'the answer is not JSON, or JSON that ESPv2 refuses (a repeated name, a number out of range, a lone surrogate escape, nesting over 100)' };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, error: 'the answer is not a JSON object' };
  const obj = doc as Record<string, unknown>;
  if ('keys' in obj) return parseJwks(obj.keys);
  if (isX509Map(obj)) return parseX509Map(Object.entries(obj));
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

/** Non-empty, every name non-empty, every value a string framed exactly as one PEM certificate. */
function isX509Map(obj: Record<string, unknown>): obj is Record<string, string> {
  const entries = Object.entries(obj);
  return entries.length > 0 && entries.every(([kid, v]) => kid !== '' && typeof v === 'string' && v.startsWith(CERT_PREFIX) && v.endsWith(CERT_SUFFIX));
}

/** Each value's first certificate (BoringSSL's PEM_read_bio_X509 reads one), which must hold an RSA key. */
async function parseX509Map(entries: readonly [string, string][]): Promise<ParsedKeySet> {
  const out: KeyEntry[] = [];
  for (const [kid, text] of entries) {
    const first = text.slice(0, text.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length);
    try {
      const key = await keyFromPem(first, kid);
      if (key.kty !== 'RSA') return { ok: false, error: `certificate for kid ${kid} holds an ${key.kty} key; ESPv2 takes only RSA keys from an X.509 map` };
      out.push(key);
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
