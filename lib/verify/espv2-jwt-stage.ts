import type { Config } from '../core/config.js';
import type { JwtEvaluation, JwtStage, TermOutcome } from '../core/jwt-stage.js';
import type { RequestView } from '../core/request-view.js';
import type { Espv2JwtFailure } from '../failures/failure.js';
import { KeyStore } from '../keys/key-store.js';
import type { Provider } from '../openapi/model.js';
import { chooseFailure } from '../requirements/choose-failure.js';
import type { CompiledRequirements } from '../requirements/compile-requirements.js';
import { extractTokens, type ExtractedToken } from '../tokens/extract-tokens.js';
import type { ParsedToken } from './parse-token.js';
import { TokenCache } from './token-cache.js';
import { verifyToken } from './verify-token.js';

const MISSING: Espv2JwtFailure = Object.freeze({ kind: 'jwt_missing' });

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

  function evaluate(reqs: CompiledRequirements, view: RequestView): JwtEvaluation<Espv2JwtFailure> {
    const ctx = { keys, cache, nowSeconds: Math.floor(config.now() / 1000), skewSeconds: config.clockSkewSeconds };
    const tokens: (ExtractedToken[] | undefined)[] = [];
    const extracted = (i: number) => (tokens[i] ??= extractTokens(view, reqs.terms[i]!.provider.locations));
    const outcomes: (Promise<TermOutcome<Espv2JwtFailure>> | undefined)[] = [];

    // Every extracted token must be valid; ESPv2 verifies them last-extracted first.
    async function evaluateTerm(i: number): Promise<TermOutcome<Espv2JwtFailure>> {
      const list = extracted(i);
      if (list.length === 0) return { ok: false, failure: MISSING };
      const term = reqs.terms[i]!;
      let first: ParsedToken | undefined;
      for (let k = list.length - 1; k >= 0; k--) {
        const r = await verifyToken(list[k]!.token, term.provider, term.allowed, ctx);
        if (!r.ok) return { ok: false, failure: r.failure };
        first = r.parsed;
      }
      const parsed = first!;
      return {
        ok: true,
        verified: {
          token: list[0]!.token,
          issuer: parsed.iss,
          audiences: parsed.audiences,
          claims: parsed.payload,
          userInfo: userInfo(parsed, config.userInfoPadding),
        },
      };
    }
    const term = (i: number) => (outcomes[i] ??= evaluateTerm(i));

    return {
      get presented() {
        return reqs.terms.some((_, i) => extracted(i).length > 0);
      },
      async any() {
        const failures: Espv2JwtFailure[] = [];
        for (const i of reqs.espTerms) {
          const r = await term(i);
          if (r.ok) return { ok: true, term: i };
          failures.push(r.failure);
        }
        return { ok: false, failure: chooseFailure(failures, MISSING) };
      },
      term,
      choose: (failures) => chooseFailure(failures, MISSING),
    };
  }

  return { evaluate, tokenCache: cache, ready: () => keys.ready(), close: () => keys.close() };
}
