import type { CacheStats } from '../verify/token-lru.js';
import type { MaybePromise } from '../kernel/maybe-async.js';
import { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import type { EngineFailure, Failure } from '../failures/failure.js';
import { hintFor } from '../failures/hints.js';
import { reasonOf } from '../failures/reason.js';
import { compileMatcher, type Matcher } from '../match/compile-matcher.js';
import type { Operation, ServiceModel } from '../openapi/model.js';
import { readDocument } from '../openapi/read-document.js';
import { compileRequirements, type CompiledRequirements } from '../requirements/compile-requirements.js';
import type { Dialect } from '../dialects/dialect.js';
import { DIALECTS } from '../dialects/dialects.js';
import { checkOperation, type Decision } from './check-operation.js';
import type { CheckResult } from './check-result.js';
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
  /** The operation a method and URL match (after x-http-method-override is applied by the caller), if any. */
  findOperation(method: string, url: string): Operation | undefined;
  ready(): Promise<void>;
  close(): void;
  /** The verified-token cache's size and hit counts. */
  readonly tokenCache: CacheStats;
}

const PASS_UNMATCHED: CheckResult = Object.freeze({ ok: true, auth: null, userInfo: null, operationId: null });

type Route = { readonly kind: 'operation'; readonly op: Operation } | { readonly kind: 'pass' } | { readonly kind: 'refuse'; readonly failure: EngineFailure };

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
        `requires an API key (${needing.length} operation${needing.length === 1 ? '' : 's'} do): pass the apiKey option to check keys, or apiKey: 'presence' to accept any key`,
      );
    }
  }
  problems.throwIfErrors();
  for (const w of problems.list) config.logger?.warn?.(`espresso-jwt: ${w.path}: ${w.message}`);

  const compiled = new Map<Operation, CompiledRequirements>();
  const byId = new Map<string, Operation>();
  for (const op of model.operations) {
    compiled.set(op, compileRequirements(op, model.serviceName));
    if (!byId.has(op.id)) byId.set(op.id, op);
  }
  // Express routes case-insensitively by default: with x-google-allow: all, a path that differs from a
  // template only by case is held to that operation's requirements rather than let through.
  let caseless: Matcher | undefined;

  const stage = dialect.createJwtStage(model, config);

  function route(view: RequestView, method: string): Route {
    const m = matcher.match(method, view.url);
    if (m.kind === 'operation') return { kind: 'operation', op: m.operation };
    if (method === 'OPTIONS' && model.allowCors && m.kind === 'method_not_allowed') return { kind: 'pass' };
    if (model.allowUndefined) {
      caseless ??= compileMatcher(model.operations, problems, true);
      const loose = caseless.match(method, view.url);
      return loose.kind === 'operation' ? { kind: 'operation', op: loose.operation } : { kind: 'pass' };
    }
    return { kind: 'refuse', failure: dialect.unmatched(m, method) };
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
    config.logger?.debug?.(`espresso-jwt: refused ${view.method} ${view.path}: ${r.status} ${r.message}${detail}; hint: ${error.hint}`);
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
      const override = view.header('x-http-method-override');
      const method = override ? override.toUpperCase() : view.method;
      let op: Operation | undefined;
      if (operationId !== undefined) {
        op = byId.get(operationId);
        if (!op) return refuse({ kind: 'internal_error', detail: `no operation ${operationId}` }, view);
      } else {
        const r = route(view, method);
        if (r.kind === 'refuse') return refuse(r.failure, view);
        if (r.kind === 'pass') return PASS_UNMATCHED;
        op = r.op;
      }
      const decision = checkOperation(op, compiled.get(op)!, view, request.raw ?? request, stage, config);
      const settle = (d: Decision<F>): CheckResult =>
        d.ok ? { ok: true, auth: d.auth, userInfo: d.verified?.userInfo ?? null, operationId: op.id } : refuse(d.failure, view!, d.presented);
      return decision instanceof Promise ? decision.then(settle, (e: unknown) => failed(e, view)) : settle(decision);
    } catch (e) {
      return failed(e, view);
    }
  }

  /** Fail closed: whatever went wrong inside, the request is refused (built only when it happens). */
  function failed(e: unknown, view: RequestView | undefined): CheckResult {
    const detail = (e as Error)?.stack ?? String(e);
    config.logger?.error?.(`espresso-jwt: internal error, request refused: ${detail}`);
    return refuse({ kind: 'internal_error', detail }, view ?? new RequestView({ method: 'GET', url: '/', headers: {} }));
  }

  return {
    config,
    model,
    dialect: { name: dialect.name },
    check: (request, operationId) => Promise.resolve(decide(request, operationId)),
    decide,
    hasOperation: (id) => byId.has(id),
    findOperation: (method, url) => {
      const m = matcher.match(method.toUpperCase(), url);
      return m.kind === 'operation' ? m.operation : undefined;
    },
    ready: () => stage.ready(),
    close: () => stage.close(),
    tokenCache: stage.tokenCache,
  };
}

