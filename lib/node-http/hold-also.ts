import type { CheckResult } from '../engine/check-result.js';
import type { Engine } from '../engine/create-engine.js';
import { decideRoute } from '../engine/decide-route.js';
import type { MaybePromise } from '../kernel/maybe-async.js';
import type { ShellRequest } from '../kernel/request-view.js';
import type { Operation } from '../openapi/model.js';

/**
 * `first` (the engine's decision), held also to `also`: operations whose handlers the framework may
 * run instead of the matched one. Every one must let the request through; the answer is `first`'s
 * (its method and operation), with the identity a later operation proved when `first` proved none.
 */
export function holdAlso(engine: Engine, request: ShellRequest, first: MaybePromise<CheckResult>, also: readonly Operation[]): MaybePromise<CheckResult> {
  const then = (main: CheckResult): MaybePromise<CheckResult> => {
    if (!main.ok) return main;
    const others = also.filter((op) => op.id !== main.operationId);
    if (others.length === 0) return main;
    const extra = decideRoute(engine, request, others);
    const merge = (r: CheckResult): CheckResult => (!r.ok ? r : main.auth === null && r.auth !== null ? { ...main, auth: r.auth, userInfo: r.userInfo } : main);
    return extra instanceof Promise ? extra.then(merge) : merge(extra);
  };
  return first instanceof Promise ? first.then(then) : then(first);
}
