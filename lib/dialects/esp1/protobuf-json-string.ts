/**
 * A string as protobuf's JSON printer writes it (util/internal/json_escaping.cc): `"` and `\`,
 * C0 and C1 controls and DEL, `<` and `>`, and a few invisible or formatting code points are escaped
 * (lower-case hex); everything else is written as is.
 */
export function protobufJsonString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    out += escape(cp) ?? ch;
  }
  return `${out}"`;
}

const SHORT: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };
const hex4 = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;

function escape(cp: number): string | undefined {
  if (SHORT[cp]) return SHORT[cp];
  if (cp < 0x20 || cp === 0x3c || cp === 0x3e || (cp >= 0x7f && cp < 0xa0)) return hex4(cp);
  if (
    [0xad, 0x6dd, 0x70f, 0x17b4, 0x17b5, 0xfeff, 0xfff9, 0xfffa, 0xfffb].includes(cp) ||
    (cp >= 0x600 && cp <= 0x603) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x206a && cp <= 0x206f)
  ) {
    return hex4(cp);
  }
  if (cp === 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0020 && cp <= 0xe007f)) {
    const v = cp - 0x10000;
    return hex4(0xd800 + (v >> 10)) + hex4(0xdc00 + (v & 0x3ff));
  }
  return undefined;
}
