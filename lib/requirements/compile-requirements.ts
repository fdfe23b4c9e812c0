import type { ApiKeyScheme, Operation, Provider } from '../openapi/model.js';
import { allowedAudiences } from '../verify/audiences.js';

/** One JWT provider as an operation requires it: the provider and the audiences it accepts there. */
export interface CompiledTerm {
  readonly provider: Provider;
  readonly allowed: ReadonlySet<string>;
  /** Audiences from the legacy `x-security`, in place of the provider's own for this operation. */
  readonly overrideAudiences: readonly string[] | undefined;
}

export interface CompiledAlternative {
  /** Indexes into `terms`, with the scopes each needs in this alternative. */
  readonly jwt: readonly { readonly term: number; readonly scopes: readonly string[] }[];
  readonly apiKeys: readonly ApiKeyScheme[];
}

/**
 * What must hold for one operation, read both ways (ESP-BEHAVIOR §1):
 * - Endpoints' reading: the JWT providers of all alternatives form one OR list (`terms`); an API key
 *   is required only when every alternative names one (`espNeedsApiKey`).
 * - The OpenAPI reading: some alternative whose every scheme holds (`alternatives`).
 * A request passes only when both accept it.
 */
export interface CompiledRequirements {
  /** No requirement at all (`security: []`, or none anywhere): no check runs. */
  readonly open: boolean;
  /** An empty requirement object is among the alternatives: no token at all is fine. */
  readonly optional: boolean;
  readonly terms: readonly CompiledTerm[];
  readonly alternatives: readonly CompiledAlternative[];
  readonly espNeedsApiKey: boolean;
  /** Every API key scheme named, in order, for finding the key. */
  readonly apiKeySchemes: readonly ApiKeyScheme[];
}

export function compileRequirements(op: Operation, serviceName: string | undefined): CompiledRequirements {
  const terms: CompiledTerm[] = [];
  const termIds = new Map<string, number>();
  const alternatives: CompiledAlternative[] = [];
  const apiKeySchemes: ApiKeyScheme[] = [];
  for (const alt of op.alternatives) {
    const jwt = alt.jwt.map((t) => {
      const audiences = t.audiences ?? t.provider.audiences;
      const id = `${t.provider.name}\u0000${t.audiences ? t.audiences.join(',') : ''}`;
      let index = termIds.get(id);
      if (index === undefined) {
        index = terms.push({ provider: t.provider, allowed: allowedAudiences(audiences, serviceName), overrideAudiences: t.audiences }) - 1;
        termIds.set(id, index);
      }
      return { term: index, scopes: t.scopes };
    });
    for (const k of alt.apiKeys) if (!apiKeySchemes.includes(k)) apiKeySchemes.push(k);
    alternatives.push({ jwt, apiKeys: alt.apiKeys });
  }
  const optional = op.alternatives.some((a) => a.jwt.length === 0 && a.apiKeys.length === 0);
  return Object.freeze({
    open: alternatives.length === 0 || (optional && terms.length === 0 && apiKeySchemes.length === 0),
    optional,
    terms,
    alternatives,
    espNeedsApiKey: alternatives.length > 0 && alternatives.every((a) => a.apiKeys.length > 0),
    apiKeySchemes,
  });
}
