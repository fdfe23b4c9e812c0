import { parse } from 'yaml';
import { nodeBuiltin } from '../kernel/node-builtin.js';

/**
 * Reads an OpenAPI document from a YAML or JSON file (JSON is YAML). A parsed object is returned as
 * is, so callers can pass either; that is also the only form it takes off Node (Workers, the Edge),
 * where there are no files to read.
 */
export async function loadOpenApi(source: string | URL | Record<string, unknown>): Promise<Record<string, unknown>> {
  if (typeof source === 'object' && !(source instanceof URL)) return source;
  const text = await nodeBuiltin('node:fs/promises', 'loadOpenApi of a file').readFile(source, 'utf8');
  const doc: unknown = parseText(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TypeError(`espresso-jwt: ${String(source)} does not hold an OpenAPI document (an object)`);
  }
  return doc as Record<string, unknown>;
}

/** JSON is YAML, but JSON.parse reads a large JSON document (GitHub's: 4 MB) many times faster. */
function parseText(text: string): unknown {
  if (/^\s*\{/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not strict JSON after all (YAML flow style, comments...): the YAML parser decides.
    }
  }
  return parse(text, { maxAliasCount: 1000 });
}
