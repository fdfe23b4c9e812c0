import type { ApiKeyScheme, Operation, Provider } from '../openapi/model.js';
import { allowedAudiences } from './audiences.js';
import { endpointsReading } from './endpoints-reading.js';

/** One JWT provider as an operation requires it: the provider and the audiences it accepts there. */
export interface CompiledTerm {
  readonly provider: Provider;
  readonly allowed: ReadonlySet<string>;
  /** Audiences from the legacy `x-security`, in place of the provider's own for this operation. */
  readonly overrideAudiences: readonly string[] | undefined;
}

interface CompiledAlternative {
  /** Indexes into `terms`, with the scopes each needs in this alternative. */
  readonly jwt: readonly { readonly term: number; readonly scopes: readonly string[] }[];
  readonly apiKeys: readonly ApiKeyScheme[];
}

/**
 * What must hold for one operation, read both ways (ESP-BEHAVIOR §1):
 * - Endpoints' reading (`espTerms`, `espNeedsApiKey`): any provider of one merged OR list; an API key
 *   when every alternative names one.
 * - The OpenAPI reading (`alternatives`): some requirement object whose every scheme holds; none at
 *   all means the document asks nothing.
 * A request passes only when both accept it. A provider has one term per operation, so its token is
 * verified once and against the same audiences in both readings (`x-security` audiences included).
 */
export interface CompiledRequirements {
  /** Neither reading asks anything: no check runs. */
  readonly open: boolean;
  /**
   * An empty requirement object stands among the alternatives (`security: [{}, {jwt: []}]`): a request
   * with no token at all passes; one that carries a token must present a valid one (Envoy's
   * allow-missing rule). Ours: Endpoints' converter drops the empty object and requires the token.
   */
  readonly optional: boolean;
  readonly terms: readonly CompiledTerm[];
  /** Endpoints' OR list, as indexes into `terms`; empty means no JWT check in that reading. */
  readonly espTerms: readonly number[];
  readonly espNeedsApiKey: boolean;
  readonly alternatives: readonly CompiledAlternative[];
  /** Every API key scheme named, in order, for finding the key. */
  readonly apiKeySchemes: readonly ApiKeyScheme[];
  /**
   * Set when both readings come down to one provider's term (the usual document: one JWT provider,
   * no scopes, no API key, no empty requirement object): the request passes when that term holds and
   * is refused with that term's failure otherwise, which is what the two readings give there. The
   * check then needs no walk through them.
   */
  readonly onlyTerm: number | undefined;
}

export function compileRequirements(op: Operation, serviceName: string | undefined): CompiledRequirements {
  const esp = endpointsReading(op);
  const override = new Map(esp.providers.map((p) => [p.provider, p.audiences]));
  const terms: CompiledTerm[] = [];
  const termOf = new Map<Provider, number>();
  const term = (provider: Provider): number => {
    let index = termOf.get(provider);
    if (index === undefined) {
      const overrideAudiences = override.get(provider);
      const allowed = allowedAudiences(overrideAudiences ?? provider.audiences, serviceName);
      index = terms.push({ provider, allowed, overrideAudiences }) - 1;
      termOf.set(provider, index);
    }
    return index;
  };
  const espTerms = esp.providers.map((p) => term(p.provider));
  const apiKeySchemes: ApiKeyScheme[] = [];
  const alternatives = op.alternatives.map((alt): CompiledAlternative => {
    for (const k of alt.apiKeys) if (!apiKeySchemes.includes(k)) apiKeySchemes.push(k);
    return { jwt: alt.jwt.map((t) => ({ term: term(t.provider), scopes: t.scopes })), apiKeys: alt.apiKeys };
  });
  const optional = alternatives.some((a) => a.jwt.length === 0 && a.apiKeys.length === 0);
  const openApiOpen = alternatives.length === 0 || optional;
  const only = alternatives.length === 1 && alternatives[0]!.jwt.length === 1 && alternatives[0]!.apiKeys.length === 0 ? alternatives[0]!.jwt[0]! : undefined;
  const onlyTerm =
    only && only.scopes.length === 0 && espTerms.length === 1 && espTerms[0] === only.term && !esp.needsApiKey ? only.term : undefined;
  return Object.freeze({
    open: openApiOpen && espTerms.length === 0 && !esp.needsApiKey,
    optional: optional && alternatives.length > 1,
    terms,
    espTerms,
    espNeedsApiKey: esp.needsApiKey,
    alternatives,
    apiKeySchemes,
    onlyTerm,
  });
}
