import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/**
 * Reads an OpenAPI document from a YAML or JSON file (JSON is YAML). A parsed object is returned as
 * is, so callers can pass either.
 */
export async function loadOpenApi(source: string | URL | Record<string, unknown>): Promise<Record<string, unknown>> {
  if (typeof source === 'object' && !(source instanceof URL)) return source;
  const text = await readFile(source, 'utf8');
  const doc: unknown = parse(text, { maxAliasCount: 1000 });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TypeError(`espresso-jwt: ${String(source)} does not hold an OpenAPI document (an object)`);
  }
  return doc as Record<string, unknown>;
}
