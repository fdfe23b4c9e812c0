import { compileMatcher } from '../match/compile-matcher.js';
import type { HttpMethod } from '../openapi/model.js';
import type { OpenApiDocument } from '../openapi/openapi-document.js';
import { readDocument } from '../openapi/read-document.js';
import { compileRequirements, type CompiledTerm } from '../requirements/compile-requirements.js';

/** A JWT provider as one operation requires it. */
export interface RouteProvider {
  /** The security scheme's name. */
  readonly name: string;
  readonly issuer: string;
  /** The audiences a token may carry here; `https://<service name>` when the document sets none. */
  readonly audiences: readonly string[];
  /** Scopes the token must have (`scope` / `scp`), as listed in the requirement; checked unless `scopes: 'ignore'`. */
  readonly scopes: readonly string[];
}

/** One way to pass: every provider's token and every API key listed. */
export interface RouteRequirement {
  readonly providers: readonly RouteProvider[];
  /** Names of the API key schemes whose key is required. */
  readonly apiKeys: readonly string[];
}

/** One operation of the document and what a request to it must carry. */
export interface RouteRow {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The path template, base path included, as the document writes it. */
  readonly path: string;
  /** A request with no credentials passes: the operation asks nothing, or lists `{}` among its requirements. */
  readonly open: boolean;
  /** The requirements, any one of which lets a request through; empty when the operation asks nothing. */
  readonly requires: readonly RouteRequirement[];
}

/**
 * Every operation of a document with what it requires, as `endpointsAuth` would enforce it (the same
 * reading and requirements): for reviews, tests that pin what is guarded, and `espresso-jwt routes`.
 * Throws `SpecError` when the document cannot be enforced.
 */
export function listRoutes(spec: OpenApiDocument, options?: { readonly serviceName?: string }): RouteRow[];
export function listRoutes(spec: unknown, options?: { readonly serviceName?: string }): RouteRow[];
export function listRoutes(spec: unknown, options: { readonly serviceName?: string } = {}): RouteRow[] {
  const { model, problems } = readDocument(spec, options.serviceName);
  compileMatcher(model.operations, problems);
  problems.throwIfErrors();
  return model.operations.map((op) => {
    const compiled = compileRequirements(op, model.serviceName);
    const provider = (term: CompiledTerm, scopes: readonly string[]): RouteProvider => {
      const audiences = term.overrideAudiences ?? term.provider.audiences;
      return {
        name: term.provider.name,
        issuer: term.provider.issuer,
        audiences: audiences.length || !model.serviceName ? [...audiences] : [`https://${model.serviceName}`],
        scopes,
      };
    };
    let requires: RouteRequirement[] = compiled.alternatives
      .filter((a) => a.jwt.length || a.apiKeys.length)
      .map((a) => ({ providers: a.jwt.map((j) => provider(compiled.terms[j.term]!, j.scopes)), apiKeys: a.apiKeys.map((k) => k.name) }));
    // Only the legacy x-security names providers: Endpoints' reading, any one of them.
    if (requires.length === 0 && compiled.espTerms.length) requires = compiled.espTerms.map((t) => ({ providers: [provider(compiled.terms[t]!, [])], apiKeys: [] }));
    return { operationId: op.id, method: op.method, path: op.template, open: compiled.open || compiled.optional, requires };
  });
}
