import { base64url } from 'jose';

/** ASCII white space as absl::ascii_isspace knows it: skipped anywhere in the text. */
const ABSL_SPACE = /[ \t\n\v\f\r]/g;
/** Data in the web-safe alphabet, then padding ("=", or "." which absl takes as padding too). */
const SHAPE = /^([A-Za-z0-9_-]*)([=.]*)$/;
/** The padding absl expects after each count of leftover data characters (1 leftover: invalid). */
const PADDING_FOR_LEFTOVER = [0, -1, 2, 1];

/**
 * Decodes a key member (`n`, `e`, `x`, `y`, `k`) as jwt_verify_lib does, with
 * absl::WebSafeBase64Unescape: the web-safe alphabet only (a "+" or "/" fails the key), white space
 * skipped, and after the data either no padding or exactly the padding its length calls for.
 * Undefined when absl would refuse the text. jose does the decoding once the text passed (no Buffer:
 * the main entry also runs where Node's is absent).
 */
export function decodeWebSafeBase64(text: string): Uint8Array | undefined {
  const m = SHAPE.exec(text.replace(ABSL_SPACE, ''));
  if (!m) return undefined;
  const [, data = '', padding = ''] = m;
  const expected = PADDING_FOR_LEFTOVER[data.length % 4];
  if (expected === -1 || (padding.length !== 0 && padding.length !== expected)) return undefined;
  return base64url.decode(data);
}
