import type { EngineFailure, Failure } from '../failures/failure.js';
import type { ApiKeyScheme, Operation } from '../openapi/model.js';
import type { CompiledRequirements } from '../requirements/compile-requirements.js';
import { chooseFailure } from '../requirements/choose-failure.js';
import { missingScopes } from '../requirements/scopes.js';
import type { AuthInfo } from '../kernel/auth-info.js';
import type { Config } from '../kernel/config.js';
import type { JwtEvaluation, JwtStage, TermOutcome, VerifiedToken } from '../dialects/jwt-stage.js';
import type { RequestView } from '../kernel/request-view.js';
import { drive, type MaybePromise, type Step } from '../kernel/maybe-async.js';

/**
 * The decision on one request: allowed (with what it proved) or refused (with why). `presented` says
 * whether the request carried a token where the dialect looks (ESP v1's `WWW-Authenticate` needs it).
 */
export type Decision<F extends Failure> =
  | { readonly ok: true; readonly auth: AuthInfo | null; readonly verified: VerifiedToken | null }
  | { readonly ok: false; readonly failure: F | EngineFailure; readonly presented: boolean };

const ALLOW_ANONYMOUS = Object.freeze({ ok: true as const, auth: null, verified: null });

/**
 * Applies an operation's requirements to a request: Endpoints' reading first (any JWT provider of the
 * merged OR list; an API key when every alternative names one), then the OpenAPI reading (some
 * requirement object whose every scheme holds, scopes included). Both must accept. The dialect's JWT
 * stage decides on tokens; everything else here is the same for every ESP.
 */
export function checkOperation<F extends Failure>(...args: Parameters<typeof checkSteps<F>>): MaybePromise<Decision<F>> {
  const [op, reqs, view, , stage] = args;
  // An open operation needs no walk at all, and one whose readings come down to one term, no generator.
  if (reqs.open) return ALLOW_ANONYMOUS;
  if (reqs.onlyTerm !== undefined) return checkOnlyTerm(op, reqs, reqs.onlyTerm, stage.evaluate(reqs, view));
  return drive(checkSteps(...args));
}

/** Both readings when they come down to one term (`CompiledRequirements.onlyTerm`): that term's answer. */
function checkOnlyTerm<F extends Failure>(op: Operation, reqs: CompiledRequirements, term: number, jwt: JwtEvaluation<F>): MaybePromise<Decision<F>> {
  const pending = jwt.term(term);
  return pending instanceof Promise ? pending.then((r) => granted(op, reqs, term, r, jwt)) : granted(op, reqs, term, pending, jwt);
}

function* checkSteps<F extends Failure>(
  op: Operation,
  reqs: CompiledRequirements,
  view: RequestView,
  raw: unknown,
  stage: JwtStage<F>,
  config: Config,
): Step<Decision<F>> {
  const jwt = stage.evaluate(reqs, view);

  // Optional auth (ours, issue 14): an empty requirement object lets a request with no token through;
  // a token that is there must be valid.
  if (reqs.optional && !jwt.presented) return ALLOW_ANONYMOUS;

  // Endpoints' reading: any provider of the merged list.
  let espPassed: number | undefined;
  if (reqs.espTerms.length > 0) {
    const pending = jwt.any();
    const r = pending instanceof Promise ? ((yield pending) as Awaited<typeof pending>) : pending;
    if (!r.ok) return refusal(jwt, r.failure);
    espPassed = r.term;
  }
  if (reqs.espNeedsApiKey) {
    const keyFailure = (yield checkApiKeys(reqs.apiKeySchemes, view, raw, config, true)) as EngineFailure | undefined;
    if (keyFailure) return refusal(jwt, keyFailure);
  }

  // The OpenAPI reading: some requirement object must hold whole (none at all asks nothing).
  // Indexed loops and failures kept only once there is one: this runs on every request to an operation
  // that asks more than one provider, a scope or an API key.
  const alternatives = reqs.alternatives;
  if (alternatives.length === 0) {
    const d = allow(op, reqs, espPassed, jwt);
    return d instanceof Promise ? ((yield d) as Decision<F>) : d;
  }
  let jwtFailures: F[] | undefined;
  let scopeFailure: EngineFailure | undefined;
  let keyFailure: EngineFailure | undefined;
  for (let a = 0; a < alternatives.length; a++) {
    const alt = alternatives[a]!;
    let holds = true;
    let provedBy: number | undefined;
    for (let j = 0; j < alt.jwt.length; j++) {
      const { term, scopes } = alt.jwt[j]!;
      const pending = jwt.term(term);
      const r = pending instanceof Promise ? ((yield pending) as Awaited<typeof pending>) : pending;
      if (!r.ok) {
        (jwtFailures ??= []).push(r.failure);
        holds = false;
        break;
      }
      if (scopes.length > 0 && config.scopes === 'enforce') {
        const missing = missingScopes(scopes, r.verified.claims);
        if (missing.length) {
          scopeFailure ??= { kind: 'insufficient_scope', missing };
          holds = false;
          break;
        }
      }
      provedBy ??= term;
    }
    if (holds && alt.apiKeys.length) {
      const f = (yield checkApiKeys(alt.apiKeys, view, raw, config, false)) as EngineFailure | undefined;
      if (f) {
        keyFailure ??= f;
        holds = false;
      }
    }
    if (holds) {
      const d = allow(op, reqs, provedBy ?? espPassed, jwt);
      return d instanceof Promise ? ((yield d) as Decision<F>) : d;
    }
  }
  return refusal(jwt, scopeFailure ?? (jwtFailures ? chooseFailure(jwtFailures) : keyFailure ?? { kind: 'api_key_missing' }));
}

function refusal<F extends Failure>(jwt: JwtEvaluation<F>, failure: F | EngineFailure): Decision<F> {
  return { ok: false, failure, presented: jwt.presented };
}

function allow<F extends Failure>(op: Operation, reqs: CompiledRequirements, term: number | undefined, jwt: JwtEvaluation<F>): MaybePromise<Decision<F>> {
  if (term === undefined) return ALLOW_ANONYMOUS;
  const pending = jwt.term(term);
  return pending instanceof Promise ? pending.then((r) => granted(op, reqs, term, r, jwt)) : granted(op, reqs, term, pending, jwt);
}

function granted<F extends Failure>(
  op: Operation,
  reqs: CompiledRequirements,
  term: number,
  r: TermOutcome<F>,
  jwt: JwtEvaluation<F>,
): Decision<F> {
  if (!r.ok) return refusal(jwt, r.failure);
  const auth: AuthInfo = Object.freeze({
    operationId: op.id,
    provider: reqs.terms[term]!.provider.name,
    issuer: r.verified.issuer,
    audiences: r.verified.audiences,
    claims: r.verified.claims as AuthInfo['claims'],
    token: r.verified.token,
  });
  return { ok: true, auth, verified: r.verified };
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
): Promise<EngineFailure | undefined> {
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
    // Only `true` accepts: a check that answers 'false', 1 or an object by mistake must not let a key through.
    if (!check || (await check(key, raw)) !== true) return { kind: 'api_key_invalid' };
    if (any) return undefined;
  }
  return any ? { kind: 'api_key_missing' } : undefined;
}
