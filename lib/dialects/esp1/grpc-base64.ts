import { decodeCheckedBase64Url } from '../../verify/base64url.js';

const CODE = /^[A-Za-z0-9_=-]$/;
/** Text of codes alone, no padding or skipped characters: what a token section and a JWK number are. */
const PLAIN = /^[A-Za-z0-9_-]*$/;

/**
 * ESP v1 decodes every token section, HS secret and JWK number with gRPC's base64 decoder in its
 * url-safe mode (src/core/lib/slice/b64.cc). Its acceptance rules differ from RFC 4648 and from
 * Node's decoder, so they are reproduced here before jose decodes: characters above 127 and CR/LF
 * are skipped; "+" and "/" are refused, as is anything else outside A-Z a-z 0-9 - _ =; the codes form
 * groups of four in which "=" may only pad the end ("xy==", "xyz="); a last group of two or three
 * codes needs no padding, a lone code fails; an empty result is a failure. A short group holding "="
 * (which gRPC turns into garbage bytes) is refused: fail closed rather than guess.
 */
export function decodeGrpcBase64(text: string): Uint8Array | undefined {
  // Codes alone are one run of full groups and a last group of two or three (one fails): decoded whole.
  if (PLAIN.test(text)) return text.length % 4 === 1 || text.length === 0 ? undefined : decodeCheckedBase64Url(text);
  const chunks: Uint8Array[] = [];
  let run = '';
  let group = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) >= 128 || ch === '\r' || ch === '\n') continue;
    if (!CODE.test(ch)) return undefined;
    group += ch;
    if (group.length < 4) continue;
    const pad = group.indexOf('=');
    if (pad === -1) run += group;
    else {
      if (pad < 2 || (pad === 2 && group[3] !== '=')) return undefined;
      chunks.push(decode(run), decode(group.slice(0, pad)));
      run = '';
    }
    group = '';
  }
  if (group.length === 1 || group.includes('=')) return undefined;
  chunks.push(decode(run + group));
  const size = chunks.reduce((n, c) => n + c.length, 0);
  if (size === 0) return undefined;
  if (chunks.length === 1) return chunks[0];
  const joined = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    joined.set(c, at);
    at += c.length;
  }
  return joined;
}

function decode(codes: string): Uint8Array {
  return codes === '' ? new Uint8Array(0) : decodeCheckedBase64Url(codes);
}
