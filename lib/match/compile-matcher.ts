import type { Operation } from '../openapi/model.js';
import type { Problems } from '../openapi/problems.js';
import { matchPattern, type MatchProbe } from './match-pattern.js';
import { parseTemplate, type Segment } from './parse-template.js';

type MatchResult =
  | { readonly kind: 'operation'; readonly operation: Operation }
  | { readonly kind: 'method_not_allowed'; readonly template: string }
  | { readonly kind: 'not_found' };

interface Node {
  readonly literals: Map<string, Node>;
  readonly patterns: { readonly texts: readonly string[]; readonly source: string; readonly node: Node }[];
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

/** How one lookup compares: ESP's way by default; the other settings are those a router may have. */
export interface MatchMode {
  /** Letters compared without regard to case (Express's default; ESP is case sensitive). */
  readonly caseless?: boolean;
  /** A path ending in `/` is NOT the same as the path without it (Express's `strict routing`). */
  readonly strictSlash?: boolean;
  /**
   * HEAD is looked up as GET: Express serves HEAD with the GET handler when no HEAD route comes first,
   * Hono always does.
   */
  readonly headAsGet?: boolean;
  /** Each segment percent-decoded before comparison (Fastify's router, and Envoy's normalisation for unreserved characters). */
  readonly decoded?: boolean;
  /** Counts the work done, for tests. */
  readonly probe?: MatchProbe;
}

export interface Matcher {
  /** `path` is the request's path as sent, without fragment; its query string is read when present. */
  match(method: string, path: string, mode?: MatchMode): MatchResult;
  /** True when some template has an upper-case letter in its literal text. */
  readonly hasUpperCase: boolean;
  /** The operations (itself included) whose templates differ from `op`'s only by letter case; empty when none. */
  caseTwins(op: Operation): readonly Operation[];
}

const NO_TWINS: readonly Operation[] = Object.freeze([]);
const ESP_MODE: MatchMode = Object.freeze({});

/**
 * Compiles the operation templates into a segment trie: a lookup walks the request's segments once
 * (backtracking only between a literal, a pattern and a wildcard at the same place), so its cost does
 * not grow with the number of operations, and it stays linear in the path's length whatever the
 * templates: a segment pattern is matched in one pass ({@link matchPattern}) and a template has at most
 * one `**` (two would make the lookup quadratic; they are refused, and `lint` reports it).
 *
 * Request paths are compared the way Express's router compares them: segment by segment as sent,
 * percent-escapes NOT decoded (`searc%68` is not `search`), empty segments (`//`) kept, one trailing `/`
 * ignored, dot segments not resolved. The query string only chooses between path keys that carry one
 * (an operation whose key has `?beta=true` is chosen when the request's query has `beta=true`).
 */
export function compileMatcher(operations: readonly Operation[], problems: Problems): Matcher {
  const exact = newNode();
  const folded = newNode();
  // Operations whose templates differ only by letter case: ESP tells them apart, a case-insensitive
  // router does not, so a request matched to one without regard to case is held to all of them.
  const twins = new Map<Operation, Operation[]>();
  let hasUpperCase = false;
  for (const op of operations) {
    const segments = parseTemplate(op.template);
    if (segments.filter((s) => s.kind === 'rest').length > 1) {
      problems.error(op.path, `${op.template} has more than one "**" wildcard: requests could not be matched in linear time, and ESP allows "**" only once, at the end`);
      continue;
    }
    if (segments.some((s) => (s.kind === 'literal' ? s.value : s.kind === 'pattern' ? s.source : '') !== lowerOf(s))) hasUpperCase = true;
    const same = add(exact, segments, op, problems, true);
    const twin = add(folded, segments.map(lower), op, problems, false);
    if (!same && twin && twin.path !== op.path) {
      const group = twins.get(twin) ?? [twin];
      group.push(op);
      for (const o of group) twins.set(o, group);
      problems.warning(op.path, `${op.method} ${op.template} differs from ${twin.method} ${twin.template} only by letter case: a case-insensitive router (Express's default) cannot tell them apart, so a request to either is held to both`);
    }
  }

  return {
    hasUpperCase,
    caseTwins: (op) => twins.get(op) ?? NO_TWINS,
    match(method, path, mode = ESP_MODE): MatchResult {
      const q = path.indexOf('?');
      const p = q === -1 ? path : path.slice(0, q);
      let segs = splitPath(mode.caseless ? p.toLowerCase() : p, mode.strictSlash === true);
      if (segs === undefined) return { kind: 'not_found' };
      if (mode.decoded) segs = segs.map(mode.caseless ? (s) => safeDecode(s).toLowerCase() : safeDecode);
      const found: Node[] = [];
      walk(mode.caseless ? folded : exact, segs, 0, found, mode.probe);
      if (found.length === 0) return { kind: 'not_found' };
      let params: URLSearchParams | undefined;
      for (const n of found) {
        const list = n.methods.get(mode.headAsGet && method === 'HEAD' ? 'GET' : method);
        if (!list) continue;
        for (const op of list) {
          if (op.query.length === 0) return { kind: 'operation', operation: op };
          params ??= new URLSearchParams(q === -1 ? '' : path.slice(q + 1));
          if (op.query.every(([k, v]) => params!.getAll(k).includes(v))) return { kind: 'operation', operation: op };
        }
        // Only keys with a query string here and none fits: the one asking least still guards the
        // path, rather than leaving it to a 405 (or to x-google-allow: all).
        return { kind: 'operation', operation: list[list.length - 1]! };
      }
      return { kind: 'method_not_allowed', template: found[0]!.template! };
    },
  };
}

/** Adds `op` under its template; returns the operation already there for the same requests, if any. */
function add(root: Node, segments: readonly Segment[], op: Operation, problems: Problems, report: boolean): Operation | undefined {
  let node = root;
  for (const s of segments) node = child(node, s);
  node.template ??= op.template;
  const list = node.methods.get(op.method) ?? [];
  const existing = list.find((o) => sameQuery(o.query, op.query));
  if (existing) {
    if (report && existing.path !== op.path) {
      problems.error(op.path, `${op.method} ${op.template} matches exactly the same requests as ${existing.method} ${existing.template} (${existing.path}); ESP could not tell them apart`);
    }
    return existing;
  }
  list.push(op);
  list.sort((a, b) => b.query.length - a.query.length);
  node.methods.set(op.method, list);
  return undefined;
}

function sameQuery(a: Operation['query'], b: Operation['query']): boolean {
  const key = (q: Operation['query']) => q.map(([k, v]) => `${k}=${v}`).sort().join('&');
  return key(a) === key(b);
}

function lowerOf(s: Segment): string {
  return s.kind === 'literal' ? s.value.toLowerCase() : s.kind === 'pattern' ? s.source.toLowerCase() : '';
}

function lower(s: Segment): Segment {
  if (s.kind === 'literal') return { kind: 'literal', value: s.value.toLowerCase() };
  if (s.kind === 'pattern') return { kind: 'pattern', texts: s.texts.map((t) => t.toLowerCase()), source: s.source.toLowerCase() };
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
        entry = { texts: s.texts, source: s.source, node: newNode() };
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

/**
 * Depth-first, most specific branch first; collects every node where the whole path ends. A `{x}` or
 * `*` takes one non-empty segment (a router's parameter needs a character); `**` takes any number.
 */
function walk(node: Node, segs: readonly string[], i: number, found: Node[], probe: MatchProbe | undefined): void {
  if (probe) probe.steps++;
  if (i === segs.length) {
    if (node.methods.size) found.push(node);
    if (node.rest) walk(node.rest, segs, i, found, probe);
    return;
  }
  const seg = segs[i]!;
  const lit = node.literals.get(seg);
  if (lit) walk(lit, segs, i + 1, found, probe);
  if (seg !== '') {
    for (const p of node.patterns) if (matchPattern(p.texts, seg, probe)) walk(p.node, segs, i + 1, found, probe);
    if (node.any) walk(node.any, segs, i + 1, found, probe);
  }
  if (node.rest) for (let j = segs.length; j >= i; j--) walk(node.rest, segs, j, found, probe);
}

/** Percent-decodes one segment; a malformed escape leaves it as sent. */
function safeDecode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The path's segments as sent: it must start with `/`; one trailing `/` is ignored unless `strictSlash`.
 * Undefined for a path no router would route (`*`, an empty one).
 */
function splitPath(path: string, strictSlash = false): string[] | undefined {
  if (path.charCodeAt(0) !== 0x2f) return undefined;
  const body = !strictSlash && path.length > 1 && path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  return body === '' ? [] : body.split('/');
}
