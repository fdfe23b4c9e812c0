/**
 * JSON as gRPC's old `grpc_json` tree holds it (ESP v1 reads token sections and key documents with
 * it): members keep their order and duplicates, numbers keep their text. ESP v1 looks members up by
 * the FIRST one of a name, reads time claims from the number's text, and forwards the claims
 * re-written by gRPC's writer; JSON.parse can do none of that. The text is validated by JSON.parse
 * first, so the tokenizer below only ever sees valid JSON.
 */
export type JsonNode =
  | { readonly t: 'object'; readonly members: readonly (readonly [string, JsonNode])[] }
  | { readonly t: 'array'; readonly items: readonly JsonNode[] }
  | { readonly t: 'string'; readonly value: string }
  | { readonly t: 'number'; readonly text: string }
  | { readonly t: 'literal'; readonly text: 'true' | 'false' | 'null' };

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\]:,]))/y;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses UTF-8 bytes; undefined when they are not JSON. */
export function parseGrpcJson(bytes: Uint8Array | string): JsonNode | undefined {
  return readGrpcJson(bytes)?.node;
}

/** The tree, and what JSON.parse made of the same text (which validated it): one decode for both. */
export function readGrpcJson(bytes: Uint8Array | string): { readonly node: JsonNode; readonly value: unknown } | undefined {
  let text: string;
  let parsed: unknown;
  try {
    text = typeof bytes === 'string' ? bytes : utf8.decode(bytes);
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return { node: tree(text), value: parsed };
}

function tree(text: string): JsonNode {
  TOKEN.lastIndex = 0;
  const next = (): RegExpExecArray => TOKEN.exec(text)!;
  const value = (m: RegExpExecArray): JsonNode => {
    if (m[1] !== undefined) return { t: 'string', value: JSON.parse(m[1]) as string };
    if (m[2] !== undefined) return { t: 'number', text: m[2] };
    if (m[3] !== undefined) return { t: 'literal', text: m[3] as 'true' | 'false' | 'null' };
    if (m[4] === '[') {
      const items: JsonNode[] = [];
      for (let n = next(); n[4] !== ']'; n = next()) if (n[4] !== ',') items.push(value(n));
      return { t: 'array', items };
    }
    const members: [string, JsonNode][] = [];
    for (let n = next(); n[4] !== '}'; n = next()) {
      if (n[4] === ',') continue;
      next(); // ':'
      members.push([JSON.parse(n[1]!) as string, value(next())]);
    }
    return { t: 'object', members };
  };
  return value(next());
}

/** The first member of that name (gRPC's GetProperty), when the node is an object. */
export function member(node: JsonNode | undefined, name: string): JsonNode | undefined {
  if (node?.t !== 'object') return undefined;
  return node.members.find(([k]) => k === name)?.[1];
}

/** The first member of that name when it is a string (ESP's GetStringValue). */
export function stringMember(node: JsonNode | undefined, name: string): string | undefined {
  const m = member(node, name);
  return m?.t === 'string' ? m.value : undefined;
}

/** gRPC's compact writer (grpc_json_dump_to_string with no indent). */
export function writeGrpcJson(node: JsonNode): string {
  switch (node.t) {
    case 'object':
      return `{${node.members.map(([k, v]) => `${grpcString(k)}:${writeGrpcJson(v)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(writeGrpcJson).join(',')}]`;
    case 'string':
      return grpcString(node.value);
    case 'number':
    case 'literal':
      return node.text;
  }
}

const SHORT: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * gRPC's string escaping: printable ASCII as is (with `"` and `\` escaped), control characters and
 * DEL as \b \f \n \r \t or \u00xx, everything beyond ASCII as \uxxxx (UTF-16, lower-case hex).
 */
export function grpcString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ch = value[i]!;
    if (c >= 32 && c <= 126) out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
    else out += SHORT[ch] ?? `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}
