import type { Config } from '../../kernel/config.js';
import type { JwtEvaluation, JwtStage, TermOutcome } from '../jwt-stage.js';
import type { RequestView } from '../../kernel/request-view.js';
import type { Espv2JwtFailure } from '../../failures/failure.js';
import { KeyStore } from '../../keys/key-store.js';
import type { Provider } from '../../openapi/model.js';
import { chooseFailure } from '../../requirements/choose-failure.js';
import type { CompiledRequirements } from '../../requirements/compile-requirements.js';
import { extractTokens } from '../../tokens/extract-tokens.js';
import type { ParsedToken } from '../../verify/parse-token.js';
import { TokenCache } from '../../verify/token-cache.js';
import { verifyToken, type VerifyContext } from '../../verify/verify-token.js';
import type { MaybePromise } from '../../kernel/maybe-async.js';
import type { Result } from '../../kernel/result.js';

const MISSING_OUTCOME: TermOutcome<Espv2JwtFailure> = Object.freeze({ ok: false, failure: Object.freeze({ kind: 'jwt_missing' }) });

/**
 * ESPv2's JWT stage: each provider extracts tokens from its own locations, every extracted token must
 * verify against that provider (last extracted first), and the failure of OR'ed providers is chosen
 * as Envoy chooses it. `userInfo` renders the verified payload as ESPv2 forwards it.
 */
export function espv2JwtStage(
  providers: Iterable<Provider>,
  config: Config,
  userInfo: (parsed: ParsedToken, padding: boolean) => string,
): JwtStage<Espv2JwtFailure> {
  const keys = new KeyStore(providers, {
    fetch: config.fetch,
    timeoutMs: config.keyFetchTimeoutMs,
    maxBytes: config.keyFetchMaxBytes,
    crossHostRedirects: config.keyFetchCrossHostRedirects,
    defaultCacheSeconds: config.jwksCacheSeconds,
    unknownKidCooldownMs: config.unknownKidCooldownMs,
    logger: config.logger,
    preloaded: config.keys,
    clock: () => performance.now(),
  });
  const cache = new TokenCache(config.tokenCacheSize);

  const render = (parsed: ParsedToken) => userInfo(parsed, config.userInfoPadding);
  const evaluate = (reqs: CompiledRequirements, view: RequestView): JwtEvaluation<Espv2JwtFailure> =>
    new Espv2Evaluation(reqs, view, { keys, cache, nowSeconds: Math.floor(config.now() / 1000), skewSeconds: config.clockSkewSeconds }, render);

  return { evaluate, tokenCache: cache, ready: () => keys.ready(), close: () => keys.close() };
}

/**
 * The JWT work of one request under ESPv2's rules, each answer computed at most once. A class rather
 * than closures: one object per request, and answers that stay synchronous while every token is in
 * the verified-token cache.
 */
class Espv2Evaluation implements JwtEvaluation<Espv2JwtFailure> {
  // One slot per provider term, sized once (an array grown from empty reserves far more).
  private readonly tokens: (readonly string[] | undefined)[];
  private readonly outcomes: (MaybePromise<TermOutcome<Espv2JwtFailure>> | undefined)[];

  constructor(
    private readonly reqs: CompiledRequirements,
    private readonly view: RequestView,
    private readonly ctx: VerifyContext,
    private readonly userInfo: (parsed: ParsedToken) => string,
  ) {
    this.tokens = new Array(reqs.terms.length);
    this.outcomes = new Array(reqs.terms.length);
  }

  get presented(): boolean {
    return this.reqs.terms.some((_, i) => this.extracted(i).length > 0);
  }

  any(): MaybePromise<Result<{ term: number }, Espv2JwtFailure>> {
    return this.anyFrom(0, []);
  }

  term(i: number): MaybePromise<TermOutcome<Espv2JwtFailure>> {
    const known = this.outcomes[i];
    if (known !== undefined) return known;
    const list = this.extracted(i);
    const outcome = list.length === 0 ? MISSING_OUTCOME : this.verifyFrom(i, list, list.length - 1, undefined);
    this.outcomes[i] = outcome;
    // Once settled, the outcome is kept as a value: the requirement check that asks again (the
    // OpenAPI reading after Endpoints' one) then goes on without another promise. A rejection stays
    // the caller's to handle: this reaction only ignores it.
    if (outcome instanceof Promise) outcome.then((r) => void (this.outcomes[i] = r), () => undefined);
    return outcome;
  }

  private extracted(i: number): readonly string[] {
    return (this.tokens[i] ??= extractTokens(this.view, this.reqs.terms[i]!.provider.locations));
  }

  /**
   * Endpoints' reading from the `start`th of the merged providers on: the first whose term holds, else
   * the failure Envoy chooses among theirs. Loops and `then` rather than a generator: the per-request
   * objects a generator and its driver cost are most of a cached token's work.
   */
  private anyFrom(start: number, failures: Espv2JwtFailure[]): MaybePromise<Result<{ term: number }, Espv2JwtFailure>> {
    const terms = this.reqs.espTerms;
    for (let n = start; n < terms.length; n++) {
      const i = terms[n]!;
      const r = this.term(i);
      if (r instanceof Promise) return r.then((v) => (v.ok ? { ok: true, term: i } : (failures.push(v.failure), this.anyFrom(n + 1, failures))));
      if (r.ok) return { ok: true, term: i };
      failures.push(r.failure);
    }
    return { ok: false, failure: chooseFailure(failures) };
  }

  /** Every extracted token must be valid; ESPv2 verifies them last-extracted first (from `list[k]` down). */
  private verifyFrom(i: number, list: readonly string[], k: number, parsed: ParsedToken | undefined): MaybePromise<TermOutcome<Espv2JwtFailure>> {
    const term = this.reqs.terms[i]!;
    for (let at = k; at >= 0; at--) {
      const r = verifyToken(list[at]!, term.provider, term.allowed, this.ctx);
      if (r instanceof Promise) return r.then((v) => (v.ok ? this.verifyFrom(i, list, at - 1, v.parsed) : { ok: false, failure: v.failure }));
      if (!r.ok) return { ok: false, failure: r.failure };
      parsed = r.parsed;
    }
    // The first extracted token, the last verified, is the one forwarded.
    const first = parsed!;
    return {
      ok: true,
      verified: { token: list[0]!, issuer: first.iss, audiences: first.audiences, claims: first.payload, userInfo: this.userInfo(first) },
    };
  }
}
