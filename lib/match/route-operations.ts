import type { Operation, ServiceModel } from '../openapi/model.js';

/**
 * The document's operations by the route a framework dispatched to. Fastify, Hono and @koa/router
 * write `/v1/shelves/:shelf` where the document says `/v1/shelves/{shelf}`; both are reduced to one
 * shape (literal text as written, a variable as `{}`, a multi-segment wildcard as `**`), so that a
 * shell checks the operation whose handler runs, whatever the URL looked like and however the
 * framework read it (letter case, percent-encoding, trailing slashes, fragments).
 */
export interface RouteOperations {
  /**
   * The operations a route stands for: several only for path keys that differ by their query string
   * (the engine then chooses among them by the query); none when the document lacks the route or the
   * route's pattern has no shape a document path can have (a regular expression, a nested group): the
   * shell then falls back to the engine's reading of the URL. A HEAD route stands for the document's
   * HEAD and GET operations both, since every one of these frameworks answers HEAD with the GET
   * handler when the app defines no HEAD of its own, and the shell cannot tell which runs.
   */
  find(method: string, route: string): readonly Operation[];
}

const NONE: readonly Operation[] = Object.freeze([]);

export function routeOperations(model: ServiceModel): RouteOperations {
  const byKey = new Map<string, Operation[]>();
  for (const op of model.operations) {
    const key = `${op.method} ${documentShape(op.template)}`;
    const list = byKey.get(key);
    if (list) list.push(op);
    else byKey.set(key, [op]);
  }
  return {
    find(method, route) {
      const shape = frameworkShape(route);
      if (shape === undefined) return NONE;
      const m = method.toUpperCase();
      if (m !== 'HEAD') return byKey.get(`${m} ${shape}`) ?? NONE;
      return [...(byKey.get(`HEAD ${shape}`) ?? NONE), ...(byKey.get(`GET ${shape}`) ?? NONE)];
    },
  };
}

/** `/v1/{name=shelves/*}/books/{book}.json?beta=true` -> `/v1/shelves/{}/books/{}.json`. */
function documentShape(template: string): string {
  const path = template.split('?')[0] ?? '';
  const expanded = path.replace(/\{[^}=]*=([^}]*)\}/g, '$1').replace(/\{[^}]*\}/g, '{}');
  return join(expanded.split('/').map((s) => (s === '**' ? '**' : s === '*' ? '{}' : s)));
}

/** A variable with at most one flat group: `:name`, `:name(regex)` (Fastify), `:name{regex}` and `:name?` (Hono). */
const VARIABLE = /:[A-Za-z0-9_$]+(?:\([^()]*\)|\{[^{}]*\})?\??/g;
const REST = /^\{\*[A-Za-z0-9_$]*\}$/;
/** What is left of a segment that is more than literal text and variables: a pattern this mapping cannot read. */
const PATTERN_LEFT = /[(){}[\]\\^$|?*+:]/;

/**
 * `:name`, `:name(regex)` (Fastify), `:name{regex}` and `:name?` (Hono) are variables; `*` (Fastify,
 * Hono), `*name` (@koa/router, Express 5) and `{*name}` (Express 5, where NestJS 11 turns a route's `*`
 * into `{*path}`) match the rest of the path. Undefined for anything else (nested
 * groups, a regular expression's remains): guessing a shape could name the wrong operation.
 */
function frameworkShape(route: string): string | undefined {
  const segments: string[] = [];
  for (const s of route.split('/')) {
    if (s.startsWith('*') || REST.test(s)) {
      segments.push('**');
      continue;
    }
    const shaped = s.replace(VARIABLE, '{}');
    if (PATTERN_LEFT.test(shaped.replaceAll('{}', ''))) return undefined;
    segments.push(shaped);
  }
  return join(segments);
}

function join(segments: readonly string[]): string {
  return '/' + segments.filter((s) => s !== '').join('/');
}
