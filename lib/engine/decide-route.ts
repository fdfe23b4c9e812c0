import type { CheckResult } from './check-result.js';
import type { Engine } from './create-engine.js';
import type { MaybePromise } from '../kernel/maybe-async.js';
import { RequestView, type ShellRequest } from '../kernel/request-view.js';
import type { Operation } from '../openapi/model.js';

const OVERRIDE = 'x-http-method-override';

/**
 * The decision on what a framework dispatches. `operations` are those of the route(s) it matched:
 * each must let the request through (a request that more than one handler may serve is held to the
 * strictest, and path keys that differ only by their query are all checked); the first refusal wins,
 * and the first `auth` that proves a token is handed on (an open candidate proves none).
 *
 * When some route the framework matched stands for no operation (`unmapped`: the route is not in the
 * document, or its pattern has no shape the document can have), or none matched, the request is also
 * held to the engine's reading of the URL with the method the framework dispatches. These frameworks
 * never apply `X-HTTP-Method-Override`, so an override never chooses what the request is held to;
 * a request carrying one must besides pass ESP's own reading with the override applied, so that what
 * ESP refuses for its override (a 404 or 405) is refused here too.
 */
export function decideRoute(engine: Engine, request: ShellRequest, operations: readonly Operation[], unmapped = false): MaybePromise<CheckResult> {
  const view = new RequestView(request);
  const overridden = view.header(OVERRIDE) !== undefined;
  const decisions: Array<() => MaybePromise<CheckResult>> = [...new Set(operations.map((op) => op.id))].map((id) => () => engine.decide(request, id));
  if (unmapped || operations.length === 0) decisions.push(() => engine.decide(overridden ? withoutOverride(request) : request));
  if (overridden) decisions.push(() => engine.decide(request));
  // The framework has dispatched already: the method the handler runs with is the one sent.
  const sent = view.method;
  const settle = (r: CheckResult): CheckResult => (r.ok && r.method !== sent ? { ...r, method: sent } : r);
  const result = all(decisions);
  return result instanceof Promise ? result.then(settle) : settle(result);
}

/** Every decision must pass; the first refusal wins, else the pass that proves a token. */
function all(decisions: ReadonlyArray<() => MaybePromise<CheckResult>>): MaybePromise<CheckResult> {
  const from = (i: number, kept: CheckResult | undefined): MaybePromise<CheckResult> => {
    for (; i < decisions.length; i++) {
      const result = decisions[i]!();
      if (result instanceof Promise) {
        const at = i;
        return result.then((r) => (r.ok ? from(at + 1, proving(kept, r)) : r));
      }
      if (!result.ok) return result;
      kept = proving(kept, result);
    }
    return kept!;
  };
  return from(0, undefined);
}

/** The request as the framework dispatches it: the override header dropped, the framework's own request kept for `apiKey` checks. */
function withoutOverride(request: ShellRequest): ShellRequest {
  const headers: Record<string, string | readonly string[] | undefined> = {};
  for (const name in request.headers) if (name.toLowerCase() !== OVERRIDE) headers[name] = request.headers[name];
  // `secure` by name: a shell may give it as a getter, which a spread does not copy.
  return { ...request, secure: request.secure, headers, raw: request.raw ?? request };
}

/** Of two passes, the earlier unless only the later proves a token. */
function proving(kept: CheckResult | undefined, next: CheckResult): CheckResult {
  if (kept === undefined) return next;
  const proves = (r: CheckResult) => r.ok && r.auth !== null;
  return proves(kept) || !proves(next) ? kept : next;
}
