import { hasDuplicateKeys } from './duplicate-keys.js';

/**
 * protobuf's JSON reader (json/internal/parser.cc) gives up below this many nested objects and arrays:
 * 100 levels parse, 101 do not.
 */
const MAX_DEPTH = 100;

/** A UTF-16 surrogate standing alone: only a `\u` escape makes one, since the bytes were UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The escaped surrogate pair of U+10FFFF, its backslash not itself escaped. protobuf's lexer writes the
 * code point of an escaped pair only when it is below U+10FFFF (ParseUnicodeEscape), so it refuses this
 * one pair; the same character written as UTF-8 bytes passes.
 */
const ESCAPED_LAST_CODE_POINT = /(?<!\\)(?:\\\\)*\\u[dD][bB][fF][fF]\\u[dD][fF][fF][fF]/;

/**
 * JSON text as ESPv2 reads it. jwt_verify_lib reads a token's header and payload, and the key document,
 * with protobuf's `JsonStringToMessage` into a `google.protobuf.Struct`; that reader refuses, on top of
 * what JSON.parse refuses:
 * - a byte-order mark, which is no JSON white space (JSON.parse refuses it too, as long as the text was
 *   decoded with the mark kept: `TextDecoder` with `ignoreBOM: true`);
 * - a number outside the double range (`1e400`, `-1e400`), which JSON.parse reads as an infinity;
 * - a `\u` escape that is a lone UTF-16 surrogate (`"\ud800"`), which JSON.parse lets through, and the
 *   escaped pair of U+10FFFF (`"\udbff\udfff"`);
 * - more than 100 levels of objects and arrays;
 * - a member name repeated inside one object (a Struct field set twice).
 * Ours, stricter: protobuf's legacy syntax (trailing commas, single quotes, bare names, raw control
 * characters, a top-level `null`) is refused, as JSON.parse refuses it.
 * Returns undefined when the text is refused (JSON itself has no undefined).
 */
export function readProtobufJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Only a `\u` escape can make a lone surrogate or the pair of U+10FFFF: most texts have none.
  const escapes = text.includes('\\u');
  if (!withinProtobufLimits(value, 0, escapes) || (escapes && ESCAPED_LAST_CODE_POINT.test(text)) || hasDuplicateKeys(text)) return undefined;
  return value;
}

function withinProtobufLimits(value: unknown, depth: number, escapes: boolean): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return !escapes || !LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return true;
  if (depth === MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((v) => withinProtobufLimits(v, depth + 1, escapes));
  for (const name in value) {
    if ((escapes && LONE_SURROGATE.test(name)) || !withinProtobufLimits((value as Record<string, unknown>)[name], depth + 1, escapes)) return false;
  }
  return true;
}
