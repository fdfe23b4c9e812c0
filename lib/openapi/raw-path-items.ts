import type { HttpMethod } from './model.js';
import { isObject, jsonPath } from './problems.js';

/** The methods a path item can hold; the document writes them in lower case. */
export const METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];

export interface RawPathItem {
  readonly path: string;
  readonly item: Record<string, unknown>;
  /** Its operation objects, with their JSON paths. */
  readonly operations: readonly { readonly path: string; readonly op: Record<string, unknown> }[];
}

/**
 * The document's path items and operations as written (no `$ref` followed), for the checks that look
 * at what the author wrote rather than at the model read from it.
 */
export function* rawPathItems(doc: Record<string, unknown>): Generator<RawPathItem> {
  for (const [key, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(item)) continue;
    const path = jsonPath('$.paths', key);
    const operations = METHODS.map((m) => m.toLowerCase())
      .filter((m) => isObject(item[m]))
      .map((m) => ({ path: jsonPath(path, m), op: item[m] as Record<string, unknown> }));
    yield { path, item, operations };
  }
}
