import type { Config } from '../../kernel/config.js';
import type { JwtEvaluation, JwtStage, TermOutcome } from '../jwt-stage.js';
import type { RequestView } from '../../kernel/request-view.js';
import type { Esp1JwtFailure } from '../../failures/failure.js';
import type { ServiceModel } from '../../openapi/model.js';
import type { CompiledRequirements, CompiledTerm } from '../../requirements/compile-requirements.js';
import { normalizeAudience as stripUrl } from '../../requirements/audiences.js';
import { Esp1Keys } from './esp1-keys.js';
import { Esp1TokenCache } from './esp1-token-cache.js';
import { esp1UserInfo } from './esp1-user-info.js';
import { extractEsp1Token, type BearerRule } from './extract-esp1-token.js';
import { parseEsp1Token, type Esp1Token } from './parse-esp1-token.js';
import { verifyEsp1Signature } from './verify-esp1-signature.js';
import type { Result } from '../../kernel/result.js';
import { deepFreeze } from '../../kernel/deep-freeze.js';

/** What separates the two ESP v1 generations in the JWT stage. */
export interface Esp1Rules {
  readonly bearer: BearerRule;
  readonly requireSubject: boolean;
}

type Outcome = Result<{ token: Esp1Token }, Esp1JwtFailure>;

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

  /**
   * What the checks read of an operation's requirements, worked out on its first request: each term's
   * stripped issuer and accepted audiences (the service name, and x-security's or else the scheme's
   * audiences as ESP splits them, stripped), and per stripped issuer the ESP reading's terms with their
   * audiences merged, as ESP merges them per method.
   */
  interface Compiled {
    readonly terms: readonly { readonly issuer: string; readonly audiences: ReadonlySet<string> }[];
    readonly byIssuer: ReadonlyMap<string, { readonly terms: readonly number[]; readonly audiences: ReadonlySet<string> }>;
  }
  const compiled = new WeakMap<CompiledRequirements, Compiled>();
  const audiencesOf = (term: CompiledTerm): string[] => {
    const listed = term.overrideAudiences ?? term.provider.audiencesText.split(',');
    const own = listed.filter((a) => a !== '').map(stripUrl).filter((a) => a !== '');
    return service === undefined ? own : [service, ...own];
  };
  function compile(reqs: CompiledRequirements): Compiled {
    let c = compiled.get(reqs);
    if (!c) {
      const terms = reqs.terms.map((t) => ({ issuer: stripUrl(t.provider.issuer), audiences: new Set(audiencesOf(t)) }));
      const byIssuer = new Map<string, { terms: number[]; audiences: Set<string> }>();
      for (const i of reqs.espTerms) {
        const { issuer, audiences } = terms[i]!;
        const entry = byIssuer.get(issuer) ?? byIssuer.set(issuer, { terms: [], audiences: new Set() }).get(issuer)!;
        entry.terms.push(i);
        for (const a of audiences) entry.audiences.add(a);
      }
      compiled.set(reqs, (c = { terms, byIssuer }));
    }
    return c;
  }
  const audienceFits = (token: Esp1Token, allowed: ReadonlySet<string>) => token.audienceSet.some((a) => allowed.has(stripUrl(a)));

  async function verify(raw: string, c: Compiled): Promise<Outcome> {
    const nowMs = config.now();
    const cached = cache.get(raw, nowMs);
    const parsed = cached ?? parseEsp1Token(raw, { nowSeconds: nowMs / 1000, skewSeconds: config.clockSkewSeconds, requireSubject: rules.requireSubject });
    if ('kind' in parsed) return { ok: false, failure: parsed };
    const issuer = stripUrl(parsed.iss);
    const mine = issuer === '' ? undefined : c.byIssuer.get(issuer);
    if (!mine) return { ok: false, failure: { kind: 'issuer_not_configured' } };
    if (!audienceFits(parsed, mine.audiences)) return { ok: false, failure: { kind: 'audience_not_allowed' } };
    if (cached) return { ok: true, token: parsed };
    const keyText = await keys.get(parsed.iss);
    if (!keyText.ok) return keyText;
    const verdict = await verifyEsp1Signature(parsed, keyText.text);
    if (!verdict.ok) return verdict;
    // Frozen once, before the cache and req.auth share them: a handler cannot change a later decision.
    deepFreeze(parsed.claims);
    Object.freeze(parsed.audiences);
    Object.freeze(parsed.audienceSet);
    cache.set(parsed, nowMs);
    return { ok: true, token: parsed };
  }

  function evaluate(reqs: CompiledRequirements, view: RequestView): JwtEvaluation<Esp1JwtFailure> {
    const raw = extractEsp1Token(view, rules.bearer);
    const c = compile(reqs);
    let outcome: Promise<Outcome> | undefined;
    const once = () => (outcome ??= raw === '' ? Promise.resolve({ ok: false, failure: MISSING }) : verify(raw, c));
    const outcomes: Promise<TermOutcome<Esp1JwtFailure>>[] = [];

    // One provider alone (the OpenAPI reading): its issuer, and its own audiences. Asked for again by
    // both readings, so answered once per request.
    const term = (i: number) => (outcomes[i] ??= termOutcome(i));
    async function termOutcome(i: number): Promise<TermOutcome<Esp1JwtFailure>> {
      const r = await once();
      if (!r.ok) return r;
      const t = c.terms[i]!;
      if (t.issuer !== stripUrl(r.token.iss)) return { ok: false, failure: { kind: 'issuer_not_configured' } };
      if (!audienceFits(r.token, t.audiences)) return { ok: false, failure: { kind: 'audience_not_allowed' } };
      const token = r.token;
      return { ok: true, verified: { token: raw, issuer: token.iss, audiences: token.audiences, claims: token.claims, userInfo: esp1UserInfo(token) } };
    }

    return {
      presented: raw !== '',
      async any() {
        const r = await once();
        if (!r.ok) return r;
        // verify() found this issuer among the ESP reading's terms.
        const candidates = c.byIssuer.get(stripUrl(r.token.iss))!.terms;
        for (const i of candidates) if ((await term(i)).ok) return { ok: true, term: i };
        return { ok: true, term: candidates[0]! };
      },
      term,
    };
  }

  return { evaluate, tokenCache: cache, ready: () => keys.ready(), close: () => keys.close() };
}
