import { parse } from 'yaml';
import { nodeBuiltin } from '../kernel/node-builtin.js';

/**
 * Reads an OpenAPI document from a YAML or JSON file (JSON is YAML). A parsed object is returned as
 * is, so callers can pass either; that is also the only form it takes off Node (Workers, the Edge),
 * where there are no files to read. A file that does not parse is refused with a `SyntaxError` that
 * names the file, the line and the column; a `.json` file, or one that reads as neither YAML nor
 * JSON but starts like JSON, is reported as JSON.
 */
export async function loadOpenApi(source: string | URL | Record<string, unknown>): Promise<Record<string, unknown>> {
  if (typeof source === 'object' && !(source instanceof URL)) return source;
  const text = await nodeBuiltin('node:fs/promises', 'loadOpenApi of a file').readFile(source, 'utf8');
  const name = source instanceof URL ? source.pathname : source;
  const doc: unknown = parseText(text, name);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TypeError(`espresso-jwt: ${String(source)} does not hold an OpenAPI document (an object)`);
  }
  return doc as Record<string, unknown>;
}

/** JSON is YAML, but JSON.parse reads a large JSON document (GitHub's: 4 MB) many times faster. */
function parseText(text: string, name: string): unknown {
  const json = /\.json$/i.test(name);
  if (json || /^\s*\{/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (e) {
      if (json) throw jsonError(name, text, e as Error);
      // Not strict JSON after all (YAML flow style, comments...): the YAML parser decides, and when
      // it cannot read it either, the JSON parser's reason is the one that fits a file in braces.
      try {
        return parse(text, { maxAliasCount: 1000 });
      } catch {
        throw jsonError(name, text, e as Error);
      }
    }
  }
  try {
    return parse(text, { maxAliasCount: 1000 });
  } catch (e) {
    throw new SyntaxError(`espresso-jwt: ${name} is not valid YAML: ${(e as Error).message}`);
  }
}

/** The JSON parser's reason with the line and column, which older V8 messages give only as a position. */
function jsonError(name: string, text: string, e: Error): SyntaxError {
  let message = e.message;
  const at = /at position (\d+)/.exec(message);
  if (at && !/line \d+/.test(message)) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    message += ` (line ${line} column ${before.length - before.lastIndexOf('\n')})`;
  }
  return new SyntaxError(`espresso-jwt: ${name} is not valid JSON: ${message}`);
}
