import type { Compatibility, Config } from '../kernel/config.js';
import type { JwtStage } from './jwt-stage.js';
import type { RequestView } from '../kernel/request-view.js';
import type { EngineFailure, Failure } from '../failures/failure.js';
import type { ServiceModel } from '../openapi/model.js';

/** ESP's answer to a refused request. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A request whose path (or method on a known path) matches no operation. */
type Unmatched = { readonly kind: 'not_found' } | { readonly kind: 'method_not_allowed'; readonly template: string };

/**
 * What differs between the ESPs that espresso-jwt reproduces, in one place: the JWT stage (token
 * extraction, parse order, claim rules, keys, cache), what an unmatched request gets, and the
 * response for each failure. `F` is what the JWT stage can fail with; the checks never ask which
 * ESP they serve, they ask the dialect.
 */
export interface Dialect<F extends Failure> {
  readonly name: Compatibility;
  createJwtStage(model: ServiceModel, config: Config): JwtStage<F>;
  /** The failure of a request that matches no operation; no JWT check runs for it. */
  unmatched(match: Unmatched, method: string): EngineFailure;
  /** `presented`: the request carried a token where this ESP looks for one. */
  refuse(failure: F | EngineFailure, view: RequestView, presented: boolean): Refusal;
}
