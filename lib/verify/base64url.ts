import { base64url } from 'jose';
import { readProtobufJson } from '../json/protobuf-json.js';

/**
 * ESPv2 decodes with absl's web-safe decoder: only A-Z a-z 0-9 - _ with optional "=" padding.
 * Decoders differ on everything else ("+", "/", white space, stray padding), so the text is checked
 * against that alphabet and length rule here; only then is it decoded, by Node's own base64url
 * decoder (four times faster than jose's on Node 20, which lacks Uint8Array.fromBase64; jose decodes
 * the same sections again when it verifies the signature), and by jose's where there is no Buffer
 * (Workers and the Edge runtime without Node compatibility).
 */
const WEB_SAFE = /^[A-Za-z0-9_-]*(?:={1,2})?$/;

/** The byte length the text decodes to, or undefined when it is not strict base64url. */
export function base64UrlLength(text: string): number | undefined {
  if (!WEB_SAFE.test(text)) return undefined;
  const bare = text.endsWith('=') ? text.replace(/=+$/, '') : text;
  if (bare.length % 4 === 1) return undefined;
  if (bare.length !== text.length && text.length % 4 !== 0) return undefined;
  return Math.floor((bare.length * 3) / 4);
}

const NODE_BUFFER = (globalThis as { Buffer?: typeof Buffer }).Buffer;
const decode: (text: string) => Uint8Array = NODE_BUFFER ? (text) => NODE_BUFFER.from(text, 'base64url') : base64url.decode;

export function decodeBase64UrlStrict(text: string): Uint8Array | undefined {
  return base64UrlLength(text) === undefined ? undefined : decode(text);
}

/** The UTF-8 bytes of `text` in base64url without padding: Node's encoder where there is one, jose's elsewhere. */
export const encodeBase64Url: (text: string) => string = NODE_BUFFER ? (text) => NODE_BUFFER.from(text, 'utf8').toString('base64url') : (text) => base64url.encode(text);

/** Decodes text that base64UrlLength has already accepted. */
export function decodeCheckedBase64Url(text: string): Uint8Array {
  return decode(text);
}

const ascii = new TextEncoder();

/**
 * The bytes of ASCII text (a token's `header.payload`, which parseToken checked is base64url): on Node
 * a Buffer from its pool, which costs a fifth of TextEncoder's fresh array; TextEncoder elsewhere.
 */
export const asciiBytes: (text: string) => Uint8Array = NODE_BUFFER ? (text) => NODE_BUFFER.from(text, 'latin1') : (text) => ascii.encode(text);

// The byte-order mark is kept (not dropped as TextDecoder does by default), so that JSON refuses it
// as protobuf does.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 bytes into a JSON object as ESPv2 reads a token section (readProtobufJson); undefined
 * when any step fails or when it is not an object.
 */
export function decodeJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const value = readProtobufJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}
