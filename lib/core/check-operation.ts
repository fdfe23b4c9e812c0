import type { Failure } from '../failures/failure.js';
import type { ApiKeyScheme, Operation } from '../openapi/model.js';
import type { CompiledRequirements } from '../requirements/compile-requirements.js';
import { chooseFailure } from '../requirements/choose-failure.js';
import { missingScopes } from '../requirements/scopes.js';
import { extractTokens, type ExtractedToken } from '../tokens/extract-tokens.js';
import { verifyToken, type VerifyContext } from '../verify/verify-token.js';
import type { ParsedToken } from '../verify/parse-token.js';
import type { AuthInfo } from './auth-info.js';
import type { Config } from './config.js';
import type { RequestView } from './request-view.js';

/** The decision on one request: allowed (with what it proved) or refused (with why). */
export type Decision =
  | { readonly ok: true; readonly auth: AuthInfo | null; readonly parsed: ParsedToken | null }
  | { readonly ok: false; readonly failure: Failure };

type TermOutcome = { readonly ok: true; readonly parsed: ParsedToken; readonly token: string } | { readonly ok: false; readonly failure: Failure };

const ALLOW_ANONYMOUS: Decision = Object.freeze({ ok: true, auth: null, parsed: null });

/**
 * Applies an operation's requirements to a request: Endpoints' reading first (any JWT provider of the
 * merged OR list; an API key when every alternative names one), then the OpenAPI reading (some
 * requirement object whose every scheme holds, scopes included). Both must accept.
 */
export async function checkOperation(
  op: Operation,
  reqs: CompiledRequirements,
  view: RequestView,
  raw: unknown,
  ctx: VerifyContext,
  config: Config,
): Promise<Decision> {
  if (reqs.open) return ALLOW_ANONYMOUS;

  const tokens: (ExtractedToken[] | undefined)[] = [];
  const extracted = (i: number) => (tokens[i] ??= extractTokens(view, reqs.terms[i]!.provider.locations));
  const outcomes: (Promise<TermOutcome> | undefined)[] = [];
  const outcome = (i: number) => (outcomes[i] ??= evaluateTerm(i));

  // Every extracted token must be valid; ESPv2 verifies them last-extracted first.
  async function evaluateTerm(i: number): Promise<TermOutcome> {
    const list = extracted(i);
    if (list.length === 0) return { ok: false, failure: { kind: 'jwt_missing' } };
    const term = reqs.terms[i]!;
    let first: ParsedToken | undefined;
    for (let k = list.length - 1; k >= 0; k--) {
      const r = await verifyToken(list[k]!.token, term.provider, term.allowed, ctx);
      if (!r.ok) return { ok: false, failure: r.failure };
      first = r.parsed;
    }
    return { ok: true, parsed: first!, token: list[0]!.token };
  }

  // Optional auth (ours, issue 14): no token in any provider's locations passes anonymously.
  if (reqs.optional && reqs.terms.every((_, i) => extracted(i).length === 0)) return ALLOW_ANONYMOUS;

  // Endpoints' reading: any provider of the merged list.
  let espPassed: number | undefined;
  if (reqs.espTerms.length > 0) {
    const failures: Failure[] = [];
    for (const i of reqs.espTerms) {
      const r = await outcome(i);
      if (r.ok) {
        espPassed = i;
        break;
      }
      failures.push(r.failure);
    }
    if (espPassed === undefined) return { ok: false, failure: chooseFailure(failures) };
  }
  if (reqs.espNeedsApiKey) {
    const keyFailure = await checkApiKeys(reqs.apiKeySchemes, view, raw, config, true);
    if (keyFailure) return { ok: false, failure: keyFailure };
  }

  // The OpenAPI reading: some requirement object must hold whole (none at all asks nothing).
  if (reqs.alternatives.length === 0) return allow(op, reqs, espPassed, outcome);
  const jwtFailures: Failure[] = [];
  let scopeFailure: Failure | undefined;
  let keyFailure: Failure | undefined;
  for (const alt of reqs.alternatives) {
    let holds = true;
    let provedBy: number | undefined;
    for (const { term, scopes } of alt.jwt) {
      const r = await outcome(term);
      if (!r.ok) {
        jwtFailures.push(r.failure);
        holds = false;
        break;
      }
      const missing = config.scopes === 'enforce' ? missingScopes(scopes, r.parsed.payload) : [];
      if (missing.length) {
        scopeFailure ??= { kind: 'insufficient_scope', missing };
        holds = false;
        break;
      }
      provedBy ??= term;
    }
    if (holds && alt.apiKeys.length) {
      const f = await checkApiKeys(alt.apiKeys, view, raw, config, false);
      if (f) {
        keyFailure ??= f;
        holds = false;
      }
    }
    if (holds) return allow(op, reqs, provedBy ?? espPassed, outcome);
  }
  return { ok: false, failure: scopeFailure ?? (jwtFailures.length ? chooseFailure(jwtFailures) : keyFailure ?? { kind: 'api_key_missing' }) };
}

async function allow(
  op: Operation,
  reqs: CompiledRequirements,
  term: number | undefined,
  outcome: (i: number) => Promise<TermOutcome>,
): Promise<Decision> {
  if (term === undefined) return ALLOW_ANONYMOUS;
  const r = await outcome(term);
  if (!r.ok) return { ok: false, failure: r.failure };
  const provider = reqs.terms[term]!.provider;
  const auth: AuthInfo = Object.freeze({
    operationId: op.id,
    provider: provider.name,
    issuer: r.parsed.iss,
    audiences: r.parsed.audiences,
    claims: r.parsed.payload,
    token: r.token,
  });
  return { ok: true, auth, parsed: r.parsed };
}

/**
 * The API key of the first scheme that finds one (ESPv2 reads query `key`, `api_key`, then header
 * `x-api-key` by default), checked with the `apiKey` option. With `all` false every scheme must find
 * a valid key (one requirement object naming several API key schemes).
 */
async function checkApiKeys(
  schemes: readonly ApiKeyScheme[],
  view: RequestView,
  raw: unknown,
  config: Config,
  any: boolean,
): Promise<Failure | undefined> {
  const check = config.apiKey;
  for (const scheme of schemes) {
    let key: string | undefined;
    for (const loc of scheme.locations) {
      const v = loc.in === 'query' ? view.query(loc.name) : view.header(loc.name);
      if (v) {
        key = v;
        break;
      }
    }
    if (key === undefined) {
      if (any) continue;
      return { kind: 'api_key_missing' };
    }
    if (!check || !(await check(key, raw))) return { kind: 'api_key_invalid' };
    if (any) return undefined;
  }
  return any ? { kind: 'api_key_missing' } : undefined;
}
