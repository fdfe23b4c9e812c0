import type { TokenLocation } from './model.js';
import { isObject, jsonPath, type Problems } from './problems.js';

/** ESPv2's defaults when a provider names no location. */
const DEFAULT_LOCATIONS: readonly TokenLocation[] = [
  { in: 'header', name: 'authorization', prefix: 'Bearer ' },
  { in: 'header', name: 'x-goog-iap-jwt-assertion', prefix: '' },
  { in: 'query', name: 'access_token' },
];

/**
 * Reads `x-google-jwt-locations` (`{header, value_prefix}`, `{query}`, `{cookie}`) or the OpenAPI 3
 * `x-google-auth.jwtLocations` (`valuePrefix`). A list replaces the defaults entirely.
 */
export function readLocations(
  raw: unknown,
  path: string,
  prefixKey: 'value_prefix' | 'valuePrefix',
  problems: Problems,
): readonly TokenLocation[] {
  if (raw === undefined) return sortLocations(DEFAULT_LOCATIONS);
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.error(path, 'must be a non-empty list of {header, ' + prefixKey + '}, {query} or {cookie} objects');
    return [];
  }
  const out: TokenLocation[] = [];
  raw.forEach((entry, i) => {
    const at = jsonPath(path, i);
    if (!isObject(entry)) return problems.error(at, 'must be an object with "header", "query" or "cookie"');
    const kinds = (['header', 'query', 'cookie'] as const).filter((k) => entry[k] !== undefined);
    if (kinds.length !== 1) return problems.error(at, 'must have exactly one of "header", "query" or "cookie"');
    const kind = kinds[0]!;
    const name = entry[kind];
    if (typeof name !== 'string' || name === '') return problems.error(jsonPath(at, kind), 'must be a non-empty string');
    const prefix = entry[prefixKey];
    if (prefix !== undefined && kind !== 'header') {
      return problems.error(jsonPath(at, prefixKey), `is only allowed with "header" (a ${kind} location has no prefix)`);
    }
    if (prefix !== undefined && typeof prefix !== 'string') return problems.error(jsonPath(at, prefixKey), 'must be a string');
    if (kind === 'header') out.push({ in: 'header', name: name.toLowerCase(), prefix: prefix ?? '' });
    else out.push({ in: kind, name });
  });
  return sortLocations(out);
}

/**
 * ESPv2 (Envoy) keeps header locations in a map ordered by lower-case name + prefix, query parameters
 * by name, then cookies by name, and extracts in that order; duplicates collapse.
 */
function sortLocations(locations: readonly TokenLocation[]): readonly TokenLocation[] {
  const key = (l: TokenLocation) => (l.in === 'header' ? l.name + l.prefix : l.name);
  const rank = { header: 0, query: 1, cookie: 2 } as const;
  const seen = new Set<string>();
  const unique = locations.filter((l) => {
    const k = `${l.in}\u0000${key(l)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return Object.freeze(
    unique.sort((a, b) => rank[a.in] - rank[b.in] || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
  );
}
