import type { Operation } from '../openapi/model.js';
import type { Problems } from '../openapi/problems.js';
import { parseTemplate, safeDecode, type Segment } from './parse-template.js';

export type MatchResult =
  | { readonly kind: 'operation'; readonly operation: Operation }
  | { readonly kind: 'method_not_allowed'; readonly template: string }
  | { readonly kind: 'not_found' };

interface Node {
  readonly literals: Map<string, Node>;
  readonly patterns: { readonly regex: RegExp; readonly source: string; readonly node: Node }[];
  any: Node | undefined;
  rest: Node | undefined;
  /**
   * Operations of the template(s) ending here, by method; several only when path keys differ by a
   * query string (`/responses` and `/responses?beta=true`), most query parameters first.
   */
  readonly methods: Map<string, Operation[]>;
  /** The first template written for this node: what ESP names in its 405 message. */
  template: string | undefined;
}

const newNode = (): Node => ({ literals: new Map(), patterns: [], any: undefined, rest: undefined, methods: new Map(), template: undefined });

export interface Matcher {
  /** `url` is the request's path, with or without its query string. */
  match(method: string, url: string): MatchResult;
}

/**
 * Compiles the operation templates into a segment trie: a lookup walks the request's segments once
 * (backtracking only between a literal, a pattern and a wildcard at the same place), so its cost does
 * not grow with the number of operations.
 *
 * Request paths: the query string only chooses between path keys that carry one (an operation whose
 * key has `?beta=true` is chosen when the request's query has `beta=true`), each segment is percent-decoded before comparison
 * (`/v1/shelves/a%2Fb` is one segment), empty segments (`//`) are dropped, one trailing `/` is
 * ignored, and dot segments are NOT resolved (Express does not resolve them either, so `/a/../b` never
 * matches `/b`). Matching is case sensitive, as ESP's is.
 */
export function compileMatcher(operations: readonly Operation[], problems: Problems, caseInsensitive = false): Matcher {
  const root = newNode();
  for (const op of operations) {
    let segments = parseTemplate(op.template);
    if (caseInsensitive) segments = segments.map(lower);
    let node = root;
    for (const s of segments) node = child(node, s);
    node.template ??= op.template;
    const list = node.methods.get(op.method) ?? [];
    const existing = list.find((o) => sameQuery(o.query, op.query));
    if (existing) {
      if (!caseInsensitive && existing.path !== op.path) {
        problems.error(op.path, `${op.method} ${op.template} matches exactly the same requests as ${existing.method} ${existing.template} (${existing.path}); ESP could not tell them apart`);
      }
      continue;
    }
    list.push(op);
    list.sort((a, b) => b.query.length - a.query.length);
    node.methods.set(op.method, list);
  }

  const collect = (path: string): Node[] => {
    const segs = splitPath(path);
    const found: Node[] = [];
    walk(root, caseInsensitive ? segs.map((s) => s.toLowerCase()) : segs, 0, found);
    return found;
  };

  return {
    match(method: string, url: string): MatchResult {
      const nodes = collect(url);
      if (nodes.length === 0) return { kind: 'not_found' };
      let params: URLSearchParams | undefined;
      for (const n of nodes) {
        const list = n.methods.get(method);
        if (!list) continue;
        for (const op of list) {
          if (op.query.length === 0) return { kind: 'operation', operation: op };
          const q = url.indexOf('?');
          params ??= new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
          if (op.query.every(([k, v]) => params!.getAll(k).includes(v))) return { kind: 'operation', operation: op };
        }
        // Only keys with a query string here and none fits: the one asking least still guards the
        // path, rather than leaving it to a 405 (or to x-google-allow: all).
        return { kind: 'operation', operation: list[list.length - 1]! };
      }
      return { kind: 'method_not_allowed', template: nodes[0]!.template! };
    },
  };
}

function sameQuery(a: Operation['query'], b: Operation['query']): boolean {
  const key = (q: Operation['query']) => q.map(([k, v]) => `${k}=${v}`).sort().join('&');
  return key(a) === key(b);
}

function lower(s: Segment): Segment {
  if (s.kind === 'literal') return { kind: 'literal', value: s.value.toLowerCase() };
  if (s.kind === 'pattern') return { kind: 'pattern', regex: new RegExp(s.regex.source, 'si'), source: s.source.toLowerCase() };
  return s;
}

function child(node: Node, s: Segment): Node {
  switch (s.kind) {
    case 'literal': {
      let next = node.literals.get(s.value);
      if (!next) node.literals.set(s.value, (next = newNode()));
      return next;
    }
    case 'pattern': {
      let entry = node.patterns.find((p) => p.source === s.source);
      if (!entry) {
        entry = { regex: s.regex, source: s.source, node: newNode() };
        node.patterns.push(entry);
        // More literal text first: `{id}.json` before `{id}`-like patterns.
        node.patterns.sort((a, b) => b.source.length - a.source.length);
      }
      return entry.node;
    }
    case 'any':
      return (node.any ??= newNode());
    case 'rest':
      return (node.rest ??= newNode());
  }
}

/** Depth-first, most specific branch first; collects every node where the whole path ends. */
function walk(node: Node, segs: readonly string[], i: number, found: Node[]): void {
  if (i === segs.length) {
    if (node.methods.size) found.push(node);
    if (node.rest) walk(node.rest, segs, i, found);
    return;
  }
  const seg = segs[i]!;
  const lit = node.literals.get(seg);
  if (lit) walk(lit, segs, i + 1, found);
  for (const p of node.patterns) if (p.regex.test(seg)) walk(p.node, segs, i + 1, found);
  if (node.any) walk(node.any, segs, i + 1, found);
  if (node.rest) for (let j = segs.length; j >= i; j--) walk(node.rest, segs, j, found);
}

/** The request path as segments: query dropped, `//` merged, one trailing `/` ignored, each decoded. */
export function splitPath(path: string): string[] {
  const q = path.indexOf('?');
  const p = q === -1 ? path : path.slice(0, q);
  const out: string[] = [];
  for (const s of p.split('/')) if (s !== '') out.push(safeDecode(s));
  return out;
}
