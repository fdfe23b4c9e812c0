import type { Config } from '../../core/config.js';
import type { JwtEvaluation, JwtStage, TermOutcome, VerifiedToken } from '../../core/jwt-stage.js';
import type { RequestView } from '../../core/request-view.js';
import type { Esp1JwtFailure } from '../../failures/failure.js';
import type { ServiceModel } from '../../openapi/model.js';
import { chooseFailure } from '../../requirements/choose-failure.js';
import type { CompiledRequirements, CompiledTerm } from '../../requirements/compile-requirements.js';
import { normalizeAudience as stripUrl } from '../../verify/audiences.js';
import { Esp1Keys } from './esp1-keys.js';
import { Esp1TokenCache } from './esp1-token-cache.js';
import { esp1UserInfo } from './esp1-user-info.js';
import { extractEsp1Token, type BearerRule } from './extract-esp1-token.js';
import { parseEsp1Token, type Esp1Token } from './parse-esp1-token.js';
import { verifyEsp1Signature } from './verify-esp1-signature.js';

/** What separates the two ESP v1 generations in the JWT stage. */
export interface Esp1Rules {
  readonly bearer: BearerRule;
  readonly requireSubject: boolean;
}

type Outcome = { readonly ok: true; readonly token: Esp1Token } | { readonly ok: false; readonly failure: Esp1JwtFailure };

const MISSING: Esp1JwtFailure = Object.freeze({ kind: 'jwt_missing' });

/**
 * ESP v1's JWT stage (check_auth.cc): ONE token per request, checked once against every provider of
 * the operation: verified-token cache, parse, issuer allowed for the operation (stripped), audience
 * (the service name, or an entry of `x-google-audiences` of a scheme with that issuer, stripped),
 * keys of that issuer, signature.
 */
export function esp1JwtStage(model: ServiceModel, config: Config, rules: Esp1Rules): JwtStage<Esp1JwtFailure> {
  const keys = new Esp1Keys([...model.providers.values()], config);
  const cache = new Esp1TokenCache(config.tokenCacheSize);
  const service = model.serviceName;

  /** The stripped audiences a term accepts besides the service name: x-security's, else the scheme's as ESP splits them. */
  const termAudiences = (term: CompiledTerm): string[] => {
    const listed = term.overrideAudiences ?? term.provider.audiencesText.split(',');
    return listed.filter((a) => a !== '').map(stripUrl).filter((a) => a !== '');
  };
  const audienceFits = (token: Esp1Token, allowed: ReadonlySet<string>) =>
    token.audienceSet.some((a) => {
      const s = stripUrl(a);
      return s === service || allowed.has(s);
    });

  async function verify(raw: string, terms: readonly CompiledTerm[]): Promise<Outcome> {
    const nowMs = config.now();
    const cached = cache.get(raw, nowMs);
    const parsed = cached ?? parseEsp1Token(raw, { nowSeconds: nowMs / 1000, skewSeconds: config.clockSkewSeconds, requireSubject: rules.requireSubject });
    if ('kind' in parsed) return { ok: false, failure: parsed };
    const issuer = stripUrl(parsed.iss);
    const mine = terms.filter((t) => stripUrl(t.provider.issuer) === issuer);
    if (issuer === '' || mine.length === 0) return { ok: false, failure: { kind: 'issuer_not_configured' } };
    // The audiences of every scheme with this issuer are merged, as ESP merges them per method.
    if (!audienceFits(parsed, new Set(mine.flatMap(termAudiences)))) return { ok: false, failure: { kind: 'audience_not_allowed' } };
    if (cached) return { ok: true, token: parsed };
    const keyText = await keys.get(parsed.iss);
    if (!keyText.ok) return keyText;
    const verdict = await verifyEsp1Signature(parsed, keyText.text);
    if (!verdict.ok) return verdict;
    cache.set(parsed, nowMs);
    return { ok: true, token: parsed };
  }

  function evaluate(reqs: CompiledRequirements, view: RequestView): JwtEvaluation<Esp1JwtFailure> {
    const raw = extractEsp1Token(view, rules.bearer);
    let outcome: Promise<Outcome> | undefined;
    const once = () => (outcome ??= raw === '' ? Promise.resolve({ ok: false, failure: MISSING }) : verify(raw, reqs.espTerms.map((i) => reqs.terms[i]!)));
    const verified = (token: Esp1Token): VerifiedToken => ({
      token: raw,
      issuer: token.iss,
      audiences: token.audiences,
      claims: token.claims,
      userInfo: esp1UserInfo(token),
    });

    // One provider alone (the OpenAPI reading): its issuer, and its own audiences.
    async function term(i: number): Promise<TermOutcome<Esp1JwtFailure>> {
      const r = await once();
      if (!r.ok) return r;
      const t = reqs.terms[i]!;
      if (stripUrl(t.provider.issuer) !== stripUrl(r.token.iss)) return { ok: false, failure: { kind: 'issuer_not_configured' } };
      if (!audienceFits(r.token, new Set(termAudiences(t)))) return { ok: false, failure: { kind: 'audience_not_allowed' } };
      return { ok: true, verified: verified(r.token) };
    }

    return {
      presented: raw !== '',
      async any() {
        const r = await once();
        if (!r.ok) return r;
        const issuer = stripUrl(r.token.iss);
        const candidates = reqs.espTerms.filter((i) => stripUrl(reqs.terms[i]!.provider.issuer) === issuer);
        for (const i of candidates) if ((await term(i)).ok) return { ok: true, term: i };
        return { ok: true, term: candidates[0]! };
      },
      term,
      choose: (failures) => chooseFailure(failures, MISSING),
    };
  }

  return { evaluate, tokenCache: cache, ready: () => keys.ready(), close: () => keys.close() };
}
