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
   * (the engine then chooses among them by the query); none when the document lacks the route. A HEAD
   * route stands for the GET operation when the document has no HEAD of its own, since every one of
   * these frameworks answers HEAD with the GET handler.
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
      const m = method.toUpperCase();
      return byKey.get(`${m} ${shape}`) ?? (m === 'HEAD' ? byKey.get(`GET ${shape}`) : undefined) ?? NONE;
    },
  };
}

/** `/v1/{name=shelves/*}/books/{book}.json?beta=true` -> `/v1/shelves/{}/books/{}.json`. */
function documentShape(template: string): string {
  const path = template.split('?')[0] ?? '';
  const expanded = path.replace(/\{[^}=]*=([^}]*)\}/g, '$1').replace(/\{[^}]*\}/g, '{}');
  return join(expanded.split('/').map((s) => (s === '**' ? '**' : s === '*' ? '{}' : s)));
}

/**
 * `:name`, `:name(regex)` (Fastify), `:name{regex}` and `:name?` (Hono) are variables; `*` (Fastify,
 * Hono), `*name` (@koa/router, Express 5) and `{*name}` (Express 5, where NestJS 11 turns a route's `*`
 * into `{*path}`) match the rest of the path.
 */
function frameworkShape(route: string): string {
  return join(route.split('/').map((s) => (s.startsWith('*') || REST.test(s) ? '**' : s.replace(/:[A-Za-z0-9_$]+(?:\([^)]*\)|\{[^}]*\})?\??/g, '{}'))));
}

const REST = /^\{\*[A-Za-z0-9_$]*\}$/;

function join(segments: readonly string[]): string {
  return '/' + segments.filter((s) => s !== '').join('/');
}
