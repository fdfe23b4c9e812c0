import { plural } from '../kernel/plural.js';
import type { ServiceModel } from './model.js';
import { isObject, jsonPath, type Problems } from './problems.js';
import { rawPathItems } from './raw-path-items.js';

/**
 * What the document asks of ESP that espresso-jwt does not do, each with what to use instead: a
 * migration should lose nothing without being told. Notes, since the document is still enforced.
 */
export function checkEspFeatures(doc: Record<string, unknown>, model: ServiceModel, problems: Problems): void {
  const backends: string[] = [];
  const quotas: string[] = [];
  if (doc['x-google-backend'] !== undefined) backends.push('$["x-google-backend"]');
  if (isObject(doc['x-google-api-management']) && isObject(doc['x-google-api-management'].backends)) backends.push('$["x-google-api-management"].backends');
  const management = doc['x-google-management'];
  if (isObject(management) && (management.quota !== undefined || management.metrics !== undefined)) quotas.push('$["x-google-management"]');
  const apiManagement = doc['x-google-api-management'];
  if (isObject(apiManagement) && (apiManagement.quota !== undefined || apiManagement.metrics !== undefined)) quotas.push('$["x-google-api-management"]');
  for (const { operations } of rawPathItems(doc)) {
    for (const { path: at, op } of operations) {
      if (op['x-google-backend'] !== undefined) backends.push(jsonPath(at, 'x-google-backend'));
      if (op['x-google-quota'] !== undefined) quotas.push(jsonPath(at, 'x-google-quota'));
    }
  }
  if (backends.length) {
    problems.note(
      backends[0]!,
      `x-google-backend${elsewhere(backends)}: ESPv2 forwarded requests to a backend (address, path translation, an identity token for the backend); ` +
        'espresso-jwt forwards nothing, it runs inside the service that answers. Serve these operations from this app, or keep a reverse proxy (or your platform\'s router) for the routing',
    );
  }
  if (quotas.length) {
    problems.note(
      quotas[0]!,
      `quotas${elsewhere(quotas)}: Service Control counted requests against them; espresso-jwt counts nothing. ` +
        'Use a rate limiter in the app (express-rate-limit, @fastify/rate-limit) or at the edge (Cloud Armor, API Gateway)',
    );
  }
  const keyed = new Set(model.operations.filter((op) => op.alternatives.some((a) => a.apiKeys.length)).map((op) => op.id));
  const first = model.operations.find((op) => keyed.has(op.id));
  if (first) {
    problems.note(
      first.path,
      `${plural(keyed.size, 'operation')} can require an API key: ESP had Service Control check keys (valid key, API enabled for its project, key restrictions); ` +
        "espresso-jwt cannot. Pass the apiKey option with a function that checks keys against your own store (apiKey: 'presence' accepts any non-empty key)",
    );
  }
}

/** ", and N more places" after the first. */
function elsewhere(paths: readonly string[]): string {
  return paths.length > 1 ? ` (here and in ${plural(paths.length - 1, 'more place', 'more places')})` : '';
}
