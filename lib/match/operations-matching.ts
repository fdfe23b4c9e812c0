import type { Operation } from '../openapi/model.js';
import { Problems } from '../openapi/problems.js';
import { compileMatcher, type MatchMode, type Matcher } from './compile-matcher.js';

/**
 * Every operation whose template can match a path, not only the one ESP's matcher prefers: a router
 * that runs the first route registered (`/items/:id` before `/items/search`), or a route whose pattern
 * cannot be mapped to the document, may dispatch a request to any of them.
 */
export interface OperationsMatching {
  /** The operations of one of `methods` (of any method when undefined) whose template matches `url` read under `mode`. */
  find(methods: readonly string[] | undefined, url: string, mode: MatchMode): Operation[];
}

export function operationsMatching(operations: readonly Operation[]): OperationsMatching {
  // One matcher per operation: the shared trie answers with one operation per lookup.
  const single: { op: Operation; matcher: Matcher }[] = operations.map((op) => ({ op, matcher: compileMatcher([op], new Problems()) }));
  return {
    find(methods, url, mode) {
      const found: Operation[] = [];
      for (const { op, matcher } of single) {
        if (methods && !methods.includes(op.method)) continue;
        if (matcher.match(op.method, url, mode).kind === 'operation') found.push(op);
      }
      return found;
    },
  };
}
