import type { CacheStats } from '../verify/token-lru.js';
import { drive, type MaybePromise, type Step } from '../kernel/maybe-async.js';
import { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import type { EngineFailure, Failure } from '../failures/failure.js';
import { hintFor } from '../failures/hints.js';
import { reasonOf } from '../failures/reason.js';
import { compileMatcher, type MatchMode } from '../match/compile-matcher.js';
import { routingPath } from '../match/routing-path.js';
import type { Operation, ServiceModel } from '../openapi/model.js';
import { checkEspFeatures } from '../openapi/check-esp-features.js';
import { checkExtensions } from '../openapi/check-extensions.js';
import { isObject } from '../openapi/problems.js';
import { readDocument } from '../openapi/read-document.js';
import { reportStartUp } from './report-start-up.js';
import { compileRequirements, type CompiledRequirements } from '../requirements/compile-requirements.js';
import type { Dialect } from '../dialects/dialect.js';
import { DIALECTS } from '../dialects/dialects.js';
import { checkOperation, type Decision } from './check-operation.js';
import type { CheckResult } from './check-result.js';
import { plural } from '../kernel/plural.js';
import { normalizeOptions, type Compatibility, type Config, type EndpointsAuthOptions } from '../kernel/config.js';
import { RequestView, type ShellRequest } from '../kernel/request-view.js';

/** The framework-free core: a compiled document, its keys and caches, and `check`. */
export interface Engine {
  readonly config: Config;
  readonly model: ServiceModel;
  readonly dialect: { readonly name: Compatibility };
  /** Decides on a request; with `operationId`, for that operation without matching the path. */
  check(request: ShellRequest, operationId?: string): Promise<CheckResult>;
  /** The same decision, synchronous when nothing has to be waited for (for adapters on the hot path). */
  decide(request: ShellRequest, operationId?: string): MaybePromise<CheckResult>;
  hasOperation(operationId: string): boolean;
  /** The operation ESP would match for a method and URL (after x-http-method-override is applied by the caller), if any. */
  findOperation(method: string, url: string): Operation | undefined;
  ready(): Promise<void>;
  close(): void;
  /** The verified-token cache's size and hit counts. */
  readonly tokenCache: CacheStats;
}

/**
 * Where a request goes: refused before any check, or held to a list of operations that must all accept
 * it. The list is ESP's match first, then every other operation a router could dispatch the same request
 * to under its own rules; it is empty for a request let through unmatched (`x-google-allow: all`, CORS).
 */
type Route = { readonly kind: 'operations'; readonly ops: readonly Operation[] } | { readonly kind: 'refuse'; readonly failure: EngineFailure };

const NO_OPERATIONS: Route = Object.freeze({ kind: 'operations', ops: Object.freeze([]) });
const HAS_UPPER = /[A-Z]/;
const CASELESS = 1;
const STRICT_SLASH = 2;
const HEAD_AS_GET = 4;
const DECODED = 8;
/** Every combination of the router rules, by its bits, made once. */
const MODES: readonly MatchMode[] = Array.from({ length: 16 }, (_, bits) =>
  Object.freeze({ caseless: (bits & CASELESS) !== 0, strictSlash: (bits & STRICT_SLASH) !== 0, headAsGet: (bits & HEAD_AS_GET) !== 0, decoded: (bits & DECODED) !== 0 }),
);

export function createEngine(spec: unknown, options?: EndpointsAuthOptions): Engine {
  const config = normalizeOptions(options);
  return DIALECTS[config.compatibility]((dialect) => build(spec, dialect, config));
}

function build<F extends Failure>(spec: unknown, dialect: Dialect<F>, config: Config): Engine {
  const { model, problems } = readDocument(spec, config.serviceName);
  const matcher = compileMatcher(model.operations, problems);
  if (!config.apiKey) {
    const needing = model.operations.filter((op) => op.alternatives.some((a) => a.apiKeys.length > 0));
    if (needing.length) {
      problems.error(
        needing[0]!.path,
        `requires an API key (${plural(needing.length, 'operation')} ${needing.length === 1 ? 'does' : 'do'}): pass the apiKey option to check keys, or apiKey: 'presence' to accept any key`,
      );
    }
  }
  problems.throwIfErrors();

  const compiled = new Map<Operation, CompiledRequirements>();
  const byId = new Map<string, Operation>();
  for (const op of model.operations) {
    compiled.set(op, compileRequirements(op, model.serviceName));
    if (!byId.has(op.id)) byId.set(op.id, op);
  }
  if (config.logger) {
    if (isObject(spec)) {
      checkExtensions(spec, problems);
      checkEspFeatures(spec, model, problems);
    }
    const open = (op: Operation) => compiled.get(op)!.open || compiled.get(op)!.optional;
    reportStartUp(problems.list, model.operations, open, [...model.providers.keys()], config.logger);
  }
  const stage = dialect.createJwtStage(model, config);
  const onlyRoute = new Map<Operation, Route>(model.operations.map((op) => [op, Object.freeze({ kind: 'operations', ops: Object.freeze([op]) } as const)]));

  /**
   * Under a mount path Express routes on the part after it, and a document may spell its paths either
   * way (relative to the mount, or whole, with the mount as its base path): the request is held to what
   * either reading matches, and refused only when neither matches (a 405 named before a 404).
   */
  function routeTargets(routing: string | undefined, url: string, method: string): Route {
    const first = route(routing ?? url, method);
    if (routing === undefined || routing === url) return first;
    const second = route(url, method);
    if (first.kind === 'operations' && second.kind === 'operations') {
      return { kind: 'operations', ops: [...first.ops, ...second.ops.filter((op) => !first.ops.includes(op))] };
    }
    if (first.kind === 'operations') return first;
    if (second.kind === 'operations') return second;
    // Both refused: a 405 (the path is defined) says more than a 404.
    return first.failure.kind === 'operation_not_defined' ? second : first;
  }

  function route(target: string, method: string): Route {
    const { url, fragment } = routingPath(target);
    // A fragment is refused: the router would read such a target its own way (see routingPath).
    if (fragment) return { kind: 'refuse', failure: { kind: 'request_target_invalid' } };
    const m = matcher.match(method, url);
    if (m.kind !== 'operation' && !(method === 'OPTIONS' && model.allowCors && m.kind === 'method_not_allowed') && !model.allowUndefined) {
      return { kind: 'refuse', failure: dialect.unmatched(m, method) };
    }
    // Every combination of the router rules that could change this request's match (subsets of `rules`).
    const rules = routerRules(url, method);
    // The usual request: one operation, no rule that could change it, answered with a route made once.
    if (rules === 0) return m.kind === 'operation' ? onlyRoute.get(m.operation)! : NO_OPERATIONS;
    const ops: Operation[] = m.kind === 'operation' ? [m.operation] : [];
    for (let set = rules; set !== 0; set = (set - 1) & rules) {
      const mode = MODES[set]!;
      const other = matcher.match(method, url, mode);
      if (other.kind !== 'operation') continue;
      const twins = mode.caseless ? matcher.caseTwins(other.operation) : undefined;
      for (const op of twins?.length ? twins : [other.operation]) if (!ops.includes(op)) ops.push(op);
    }
    return { kind: 'operations', ops };
  }

  /**
   * The rules by which a router may dispatch a request that ESP matches differently, as bits of
   * {@link MODES}: letters without regard to case (Express's default), a trailing `/` kept (Express's
   * `strict routing`), HEAD served by GET (Express, Fastify, Hono, Koa's router), percent-escapes decoded
   * (Fastify's and Hono's routers). Only the rules that could change this request's match: a lower-case
   * path without a trailing `/` or a `%`, and not HEAD, costs no second lookup.
   */
  function routerRules(url: string, method: string): number {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    let rules = 0;
    if (matcher.hasUpperCase || HAS_UPPER.test(path)) rules |= CASELESS;
    if (path.length > 1 && path.endsWith('/')) rules |= STRICT_SLASH;
    if (method === 'HEAD') rules |= HEAD_AS_GET;
    if (path.includes('%')) rules |= DECODED;
    return rules;
  }

  function refuse(failure: F | EngineFailure, view: RequestView, presented = false): CheckResult {
    const r = dialect.refuse(failure, view, presented);
    const error = new EndpointsAuthError({
      status: r.status,
      message: r.message,
      reason: reasonOf(failure),
      hint: hintFor(failure),
      failure,
      headers: r.headers,
      body: r.body,
    });
    const detail = failure.kind === 'jwks_fetch_failed' || failure.kind === 'internal_error' ? ` (${failure.detail})` : '';
    tell('debug', () => `espresso-jwt: refused ${view.method} ${view.path}: ${r.status} ${r.message}${detail}; hint: ${error.hint}`);
    return { ok: false, error };
  }

  /**
   * The decision, synchronous when nothing has to be waited for (an open operation, a cached token);
   * a promise otherwise. It never throws and never rejects: a fault inside refuses the request.
   */
  function decide(request: ShellRequest, operationId?: string): MaybePromise<CheckResult> {
    let view: RequestView | undefined;
    try {
      view = new RequestView(request);
      if (operationId !== undefined) {
        // The framework has chosen the handler already: the decision is for its operation, on the
        // method it dispatched (an override changes nothing there).
        const op = byId.get(operationId);
        if (!op) return refuse({ kind: 'internal_error', detail: `no operation ${operationId}` }, view);
        return checkAll([op], view, view.method, request.raw ?? request);
      }
      // ESPv2 applies the override before matching, and its backend then runs the overridden method:
      // the shells give the framework `result.method`, so it dispatches what was checked.
      const override = view.header('x-http-method-override');
      const method = override ? override.toUpperCase() : view.method;
      const routing = typeof request.routingUrl === 'string' ? request.routingUrl : undefined;
      const r = routeTargets(routing, view.url, method);
      if (r.kind === 'refuse') return refuse(r.failure, view);
      let ops = r.ops;
      if (request.routed === true && method !== view.method) {
        // The sent method's handler runs whatever the override says: hold the request to both.
        const sent = routeTargets(routing, view.url, view.method);
        if (sent.kind === 'refuse') return refuse(sent.failure, view);
        ops = [...ops, ...sent.ops.filter((op) => !ops.includes(op))];
      }
      return checkAll(ops, view, method, request.raw ?? request);
    } catch (e) {
      return failed(e, view);
    }
  }

  /** Every operation must accept; the result is what the first one that proves a token proved. */
  function checkAll(ops: readonly Operation[], view: RequestView, method: string, raw: unknown): MaybePromise<CheckResult> {
    if (ops.length === 0) return { ok: true, auth: null, userInfo: null, operationId: null, method };
    if (ops.length === 1) {
      // The usual case, without a generator of its own.
      const op = ops[0]!;
      const decision = checkOperation(op, compiled.get(op)!, view, raw, stage, config);
      if (!(decision instanceof Promise)) return settled(op, decision, view, method);
      return decision.then(
        (d) => settled(op, d, view, method),
        (e: unknown) => failed(e, view),
      );
    }
    const out = drive(checkEach(ops, view, method, raw));
    return out instanceof Promise ? out.catch((e: unknown) => failed(e, view)) : out;
  }

  function* checkEach(ops: readonly Operation[], view: RequestView, method: string, raw: unknown): Step<CheckResult> {
    // The answer is the first operation's, unless it proves no token and a later one does: whichever
    // of them the router runs, its handler then sees the identity the request proved.
    let answer: CheckResult | undefined;
    for (const op of ops) {
      const pending = checkOperation(op, compiled.get(op)!, view, raw, stage, config);
      const d = pending instanceof Promise ? ((yield pending) as Decision<F>) : pending;
      if (!d.ok) return refuse(d.failure, view, d.presented);
      if (answer === undefined || (answer.ok && answer.auth === null && d.auth !== null)) answer = granted(op, d, method);
    }
    return answer!;
  }

  function settled(op: Operation, d: Decision<F>, view: RequestView, method: string): CheckResult {
    return d.ok ? granted(op, d, method) : refuse(d.failure, view, d.presented);
  }

  function granted(op: Operation, d: Extract<Decision<F>, { ok: true }>, method: string): CheckResult {
    return { ok: true, auth: d.auth, userInfo: d.verified?.userInfo ?? null, operationId: op.id, method };
  }

  /** Fail closed: whatever went wrong inside, the request is refused (built only when it happens). */
  function failed(e: unknown, view: RequestView | undefined): CheckResult {
    tell('error', () => `espresso-jwt: internal error, request refused: ${printable(() => (e as Error)?.stack ?? String(e))}`);
    // The stack goes to the logger only: the error handed to an app (onError: 'next') may be shown to clients.
    const detail = printable(() => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
    return refuse({ kind: 'internal_error', detail }, view ?? new RequestView({ method: 'GET', url: '/', headers: {} }));
  }

  /**
   * A line to the app's logger, on the request path: a logger that throws (or a message that cannot
   * be built) must not turn a refusal into an exception, so nothing here ever throws.
   */
  function tell(level: 'debug' | 'error', message: () => string): void {
    try {
      config.logger?.[level]?.(message());
    } catch {
      // The logger's own fault; the request is answered all the same.
    }
  }

  return {
    config,
    model,
    dialect: { name: dialect.name },
    check: (request, operationId) => Promise.resolve(decide(request, operationId)),
    decide,
    hasOperation: (id) => byId.has(id),
    findOperation: (method, url) => {
      const m = matcher.match(method.toUpperCase(), routingPath(url).url);
      return m.kind === 'operation' ? m.operation : undefined;
    },
    ready: () => stage.ready(),
    close: () => stage.close(),
    tokenCache: stage.tokenCache,
  };
}

/** What a thrown value says, or a stand-in when it cannot say it (a null-prototype object, a getter that throws). */
function printable(text: () => string): string {
  try {
    return text();
  } catch {
    return 'a thrown value that cannot be printed';
  }
}
