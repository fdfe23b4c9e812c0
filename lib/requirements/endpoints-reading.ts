import type { ApiKeyScheme, Operation, Provider } from '../openapi/model.js';
import { providersOf } from '../openapi/providers-of.js';

/** What Endpoints' converter (googleapis/api-compiler, swagger auth aspect) makes of an operation. */
export interface EndpointsReading {
  /** Any one of these providers is enough (ESPv2's "requires any"); empty means no JWT check. */
  readonly providers: readonly { readonly provider: Provider; readonly audiences: readonly string[] | undefined }[];
  /** An API key is required (the usage rule's `allow_unregistered_calls: false`). */
  readonly needsApiKey: boolean;
}

/**
 * Endpoints' reading of `security` (ESP-BEHAVIOR §1):
 * - the JWT providers named by all requirement objects form one OR list; empty objects are dropped;
 * - `x-security` providers join that list, their audiences replacing the provider's own; an operation
 *   without its own `security` but with `x-security` gets only those (the converter does not inherit
 *   the top-level `security` then);
 * - an API key is required only when every requirement object names an API key scheme that gcloud
 *   accepts (`in: query`, or named `key`; others are ignored with a warning at deployment).
 */
export function endpointsReading(op: Operation): EndpointsReading {
  const audiences = new Map<Provider, readonly string[] | undefined>();
  if (op.ownSecurity || op.xSecurity.length === 0) {
    for (const provider of providersOf(op)) audiences.set(provider, undefined);
  }
  for (const t of op.xSecurity) audiences.set(t.provider, t.audiences);
  return {
    providers: [...audiences].map(([provider, a]) => ({ provider, audiences: a })),
    needsApiKey: op.alternatives.length > 0 && op.alternatives.every((alt) => alt.apiKeys.some(countsForEndpoints)),
  };
}

/** gcloud keeps an apiKey scheme only when it is read from the query or named `key`. */
export function countsForEndpoints(scheme: ApiKeyScheme): boolean {
  return scheme.locations.length > 1 || scheme.locations.some((l) => l.in === 'query' || l.name.toLowerCase() === 'key');
}
