import type { Operation, ServiceModel } from '../openapi/model.js';
import type { Logger } from '../kernel/config.js';
import { compileMatcher, type Matcher, type MatchMode } from '../match/compile-matcher.js';
import { parseTemplate, type Segment } from '../match/parse-template.js';
import { routeOperations } from '../match/route-operations.js';
import { routingPath } from '../match/routing-path.js';
import { Problems } from '../openapi/problems.js';
import { readRoutes, routerStack } from './read-routes.js';

type ExpressRequest = { method?: string; url?: string; originalUrl?: string; app?: unknown; headers: Record<string, unknown> };

/**
 * The operations, beyond the one ESP matches, that an Express app may run for a request because of the
 * order its routes were registered in. ESP picks the most specific template (`/users/me` before
 * `/users/{uid}`); Express runs the first registered route that matches. When the app registered a
 * route before another route whose document template can serve some of the same paths, a request
 * matching the earlier one is held to its operation too (the strictest of the two).
 */
export interface RouteOrder {
  heldAlso(req: ExpressRequest): readonly Operation[];
}

const NONE: readonly Operation[] = Object.freeze([]);
/** No request has come yet (a request without `req.app`, outside Express, has `undefined`). */
const NOT_SEEN = Symbol('not seen');
const CASELESS: MatchMode = Object.freeze({ caseless: true, headAsGet: true });
const EXACT: MatchMode = Object.freeze({ headAsGet: true });

interface Candidate {
  readonly op: Operation;
  readonly matcher: Matcher;
}

/**
 * Learns the app's route order from its router the first time a request comes (routes are registered
 * by then) and again whenever the app's stack has grown; per request the cost is one length check, and
 * one template match per operation that an earlier route can shadow (none in an app that registers
 * literal segments first). An app whose router cannot be read (not Express, a Router mounted through
 * a regular expression on Express 4) is held to every operation whose template matches the request
 * and overlaps another's.
 */
export function routeOrder(model: ServiceModel, logger: Logger | undefined): RouteOrder {
  const find = routeOperations(model);
  const segments = new Map<Operation, Segment[]>(model.operations.map((op) => [op, parseTemplate(op.template)]));
  const warned = new Set<string>();
  let seenApp: unknown = NOT_SEEN;
  let seenLength = -1;
  let byMethod = new Map<string, Candidate[]>();
  let mode = CASELESS;

  function learn(app: unknown, stack: readonly unknown[] | undefined): void {
    seenApp = app;
    seenLength = stack?.length ?? -1;
    const caseSensitive = typeof (app as { enabled?: unknown })?.enabled === 'function' && (app as { enabled(n: string): boolean }).enabled('case sensitive routing');
    mode = caseSensitive ? EXACT : CASELESS;
    const read = stack ? readRoutes(stack) : ({ readable: false } as const);
    const shadowing = new Set<Operation>();
    if (read.readable) {
      // Each operation at the position of the first route that serves it.
      const order: Operation[] = [];
      const routeOf = new Map<Operation, string>();
      for (const route of read.routes) {
        const methods = route.method === '_all' ? [...new Set(model.operations.map((op) => op.method))] : [route.method];
        for (const m of methods) {
          for (const op of [route.path, ...route.belowMounts].flatMap((path) => find.find(m, path))) {
            if (routeOf.has(op)) continue;
            routeOf.set(op, route.path);
            order.push(op);
          }
        }
      }
      for (let i = 0; i < order.length; i++) {
        for (let j = i + 1; j < order.length; j++) {
          const a = order[i]!;
          const b = order[j]!;
          if (a === b || a.method !== b.method || !overlap(segments.get(a)!, segments.get(b)!, mode === CASELESS)) continue;
          // A more specific route first is what ESP would pick on the paths both match: nothing to hold.
          if (lessSpecific(segments.get(b)!, segments.get(a)!)) continue;
          shadowing.add(a);
          if (lessSpecific(segments.get(a)!, segments.get(b)!)) warn(a, routeOf.get(a)!, b, routeOf.get(b)!);
        }
      }
    } else {
      for (const a of model.operations) {
        for (const b of model.operations) {
          if (a !== b && a.method === b.method && overlap(segments.get(a)!, segments.get(b)!, true)) shadowing.add(a);
        }
      }
    }
    byMethod = new Map();
    for (const op of shadowing) {
      const matcher = compileMatcher([op], new Problems());
      const list = byMethod.get(op.method);
      if (list) list.push({ op, matcher });
      else byMethod.set(op.method, [{ op, matcher }]);
    }
  }

  function warn(a: Operation, aRoute: string, b: Operation, bRoute: string): void {
    const line =
      `espresso-jwt: Express route ${a.method} ${aRoute} is registered before ${b.method} ${bRoute}, so Express runs its handler ` +
      `for some requests that the document gives to ${b.id} (${b.template}); such requests are held to both operations. ` +
      `Register ${bRoute} first, or guard each route with auth.operation(id).`;
    if (warned.has(line)) return;
    warned.add(line);
    logger?.warn?.(line);
  }

  return {
    heldAlso(req) {
      const app = req.app;
      const stack = routerStack(app);
      if (app !== seenApp || (stack?.length ?? -1) !== seenLength) learn(app, stack);
      if (byMethod.size === 0) return NONE;
      const override = req.headers['x-http-method-override'];
      const method = (typeof override === 'string' && override !== '' ? override : (req.method ?? 'GET')).toUpperCase();
      const candidates = [...(byMethod.get(method) ?? []), ...(method === 'HEAD' ? (byMethod.get('GET') ?? []) : [])];
      if (candidates.length === 0) return NONE;
      const urls = [req.url ?? '/', req.originalUrl ?? req.url ?? '/'].map((u) => routingPath(u).url);
      const held: Operation[] = [];
      for (const { op, matcher } of candidates) {
        if (urls.some((u) => matcher.match(method, u, mode).kind === 'operation')) held.push(op);
      }
      return held.length ? held : NONE;
    },
  };
}

/** Whether some request path matches both templates (conservatively: a segment pattern may match anything). */
function overlap(a: readonly Segment[], b: readonly Segment[], caseless: boolean): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind === 'rest' || y.kind === 'rest') return true;
    if (x.kind === 'literal' && y.kind === 'literal') {
      if (caseless ? x.value.toLowerCase() !== y.value.toLowerCase() : x.value !== y.value) return false;
    }
  }
  if (a.length === b.length) return true;
  const longer = a.length > b.length ? a : b;
  return longer[n]?.kind === 'rest' && longer.length === n + 1;
}

const RANK: Record<Segment['kind'], number> = { literal: 0, pattern: 1, any: 2, rest: 3 };

/**
 * Whether `a` is the less specific where the two first differ in kind (ESP prefers `b` on the paths
 * both match). Neither is, for templates of the same kinds throughout (two segment patterns, letter-case
 * twins): the caller then holds to both.
 */
function lessSpecific(a: readonly Segment[], b: readonly Segment[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = RANK[a[i]!.kind] - RANK[b[i]!.kind];
    if (d !== 0) return d > 0;
  }
  return a.length < b.length;
}
