import type { CheckResult } from './check-result.js';
import type { Engine } from './create-engine.js';
import type { MaybePromise } from '../kernel/maybe-async.js';
import type { ShellRequest } from '../kernel/request-view.js';
import type { Operation } from '../openapi/model.js';

/**
 * The decision on what a framework dispatches. `operations` are those of the route(s) it matched:
 * each must let the request through (a request that more than one handler may serve is held to the
 * strictest, and path keys that differ only by their query are all checked); the first refusal wins,
 * and the first `auth` that proves a token is handed on (an open candidate proves none). With none (the route is not in the document, or no
 * route matched), the engine reads the URL as ESP would: ESP's 404, or `x-google-allow: all`.
 */
export function decideRoute(engine: Engine, request: ShellRequest, operations: readonly Operation[]): MaybePromise<CheckResult> {
  if (operations.length === 0) return engine.decide(request);
  const ids = [...new Set(operations.map((op) => op.id))];
  const from = (i: number, kept: CheckResult | undefined): MaybePromise<CheckResult> => {
    for (; i < ids.length; i++) {
      const result = engine.decide(request, ids[i]);
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

/** Of two passes, the earlier unless only the later proves a token. */
function proving(kept: CheckResult | undefined, next: CheckResult): CheckResult {
  if (kept === undefined) return next;
  const proves = (r: CheckResult) => r.ok && r.auth !== null;
  return proves(kept) || !proves(next) ? kept : next;
}
