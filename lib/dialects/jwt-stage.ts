import type { Failure } from '../failures/failure.js';
import type { CompiledRequirements } from '../requirements/compile-requirements.js';
import type { MaybePromise } from '../kernel/maybe-async.js';
import type { RequestView } from '../kernel/request-view.js';
import type { CacheStats } from '../verify/token-lru.js';
import type { Result } from '../kernel/result.js';

/** A token that a JWT stage verified, as the rest of the pipeline sees it. */
export interface VerifiedToken {
  /** The token as extracted. */
  readonly token: string;
  readonly issuer: string;
  /** The token's `aud`, as a list. */
  readonly audiences: readonly string[];
  /** The whole payload. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** `X-Endpoint-API-UserInfo`, in the format of the ESP being reproduced. */
  readonly userInfo: string;
}

export type TermOutcome<F extends Failure> = Result<{ verified: VerifiedToken }, F>;

/**
 * The JWT work of one request for one operation. Each answer is computed at most once, so the two
 * readings of the requirements (Endpoints' and OpenAPI's) never verify a token twice.
 */
export interface JwtEvaluation<F extends Failure> {
  /** True when the request carries a token where this ESP looks for one. */
  readonly presented: boolean;
  /** Endpoints' reading: any JWT provider of the operation's merged list; `term` is the one that accepted. */
  any(): MaybePromise<Result<{ term: number }, F>>;
  /** One provider of the list (an index into `CompiledRequirements.terms`), for the OpenAPI reading. */
  term(index: number): MaybePromise<TermOutcome<F>>;
}

/**
 * What differs most between the ESPs: where the token is found, how it is parsed and checked, which
 * keys verify it and what is cached. Each dialect brings its own stage; the requirement logic around
 * it (API keys, scopes, the two readings) is shared.
 */
export interface JwtStage<F extends Failure> {
  evaluate(reqs: CompiledRequirements, view: RequestView): JwtEvaluation<F>;
  /** The stage's verified-token cache. */
  readonly tokenCache: CacheStats;
  /** Loads every key that can be loaded ahead of requests; rejects when some cannot be. */
  ready(): Promise<void>;
  /** Stops background work (refresh timers). */
  close(): void;
}
