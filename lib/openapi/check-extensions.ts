import { closestName } from '../kernel/closest-name.js';
import { isObject, jsonPath, type Problems } from './problems.js';
import { rawPathItems } from './raw-path-items.js';

/** The places of a document where Google's extensions are read. */
type Place = 'document' | 'scheme' | 'path item' | 'operation' | 'server';

const SCHEME = 'a security scheme (securityDefinitions in Swagger 2.0, components.securitySchemes in OpenAPI 3), beside x-google-issuer';

/** Every extension of Endpoints (Swagger 2.0 and OpenAPI 3), where it belongs, and where that is. */
const HOMES: Readonly<Record<string, { readonly places: readonly Place[]; readonly where: string }>> = {
  'x-google-issuer': { places: ['scheme'], where: SCHEME },
  'x-google-jwks_uri': { places: ['scheme'], where: SCHEME },
  'x-google-audiences': { places: ['scheme'], where: SCHEME },
  'x-google-jwt-locations': { places: ['scheme'], where: SCHEME },
  'x-google-jwks_cache_duration_in_s': { places: ['scheme'], where: SCHEME },
  'x-google-auth': { places: ['scheme'], where: 'an OpenAPI 3 security scheme' },
  'x-google-allow': { places: ['document'], where: 'the top level of the document' },
  'x-google-endpoints': { places: ['document'], where: 'the top level of the document' },
  'x-google-management': { places: ['document'], where: 'the top level of the document' },
  'x-google-api-management': { places: ['document'], where: 'the top level of the document' },
  'x-google-api-name': { places: ['document'], where: 'the top level of the document' },
  'x-google-backend': { places: ['document', 'operation'], where: 'the top level of the document or an operation' },
  'x-google-quota': { places: ['operation'], where: 'an operation' },
  'x-google-endpoint': { places: ['server'], where: 'an OpenAPI 3 server object' },
};

/** The fields of OpenAPI 3's `x-google-auth`. */
const AUTH_FIELDS = ['issuer', 'jwksUri', 'audiences', 'jwtLocations', 'jwksCacheDurationInS'];

/** What a missing provider field does to requests: said, because nothing else says it. */
const WITHOUT: Readonly<Record<string, string>> = {
  'x-google-audiences':
    'without x-google-audiences in the scheme that holds x-google-issuer, the audience is https://<service name> and tokens for your real audience are refused with 403',
  'x-google-jwks_uri': 'without x-google-jwks_uri the keys are found through OpenID discovery at the issuer',
  'x-google-jwt-locations': 'without x-google-jwt-locations tokens are looked for in the default places only',
  'x-google-issuer': 'without x-google-issuer the scheme is no JWT provider',
};

/**
 * Unknown and misplaced `x-google-*` extensions, with the one probably meant. Neither ESP nor
 * espresso-jwt reads them, and nothing else says so: a misspelt `x-google-jwks-uri` sends key
 * downloads to OpenID discovery, an `x-google-audiences` on an operation leaves every real token
 * refused.
 */
export function checkExtensions(doc: Record<string, unknown>, problems: Problems): void {
  check(doc, '$', 'document', problems);
  serversOf(doc.servers, '$.servers', problems);
  const schemesPath = doc.swagger !== undefined ? '$.securityDefinitions' : '$.components.securitySchemes';
  const schemes = doc.swagger !== undefined ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
  for (const [name, scheme] of Object.entries(isObject(schemes) ? schemes : {})) {
    if (!isObject(scheme)) continue;
    const path = jsonPath(schemesPath, name);
    check(scheme, path, 'scheme', problems);
    if (isObject(scheme['x-google-auth'])) {
      for (const field of Object.keys(scheme['x-google-auth'])) {
        if (AUTH_FIELDS.includes(field)) continue;
        const near = closestName(field, AUTH_FIELDS);
        problems.warning(jsonPath(jsonPath(path, 'x-google-auth'), field), `is not a field of x-google-auth${near ? ` (did you mean "${near}"?)` : ''}: it is ignored; the fields are ${AUTH_FIELDS.join(', ')}`);
      }
    }
  }
  for (const { path: itemPath, item, operations } of rawPathItems(doc)) {
    check(item, itemPath, 'path item', problems);
    serversOf(item.servers, jsonPath(itemPath, 'servers'), problems);
    for (const { path: opPath, op } of operations) {
      check(op, opPath, 'operation', problems);
      serversOf(op.servers, jsonPath(opPath, 'servers'), problems);
    }
  }
}

function serversOf(servers: unknown, path: string, problems: Problems): void {
  if (!Array.isArray(servers)) return;
  servers.forEach((s, i) => {
    if (isObject(s)) check(s, jsonPath(path, i), 'server', problems);
  });
}

function check(node: Record<string, unknown>, path: string, place: Place, problems: Problems): void {
  for (const key of Object.keys(node)) {
    if (!/^x[-_]/i.test(key)) continue;
    const home = HOMES[key];
    // Other vendors' extensions are no concern, unless one is a slip for Google's (x-gogle-issuer).
    if (!home && !/^x-google/i.test(key) && closestName(key, Object.keys(HOMES)) === undefined) continue;
    const at = jsonPath(path, key);
    if (home) {
      if (home.places.includes(place)) continue;
      problems.warning(at, `is not read on ${article(place)}; it belongs in ${home.where}. It is ignored here${WITHOUT[key] ? `: ${WITHOUT[key]}` : ''}`);
      continue;
    }
    const near = closestName(key, Object.keys(HOMES));
    const meant = near ? ` (did you mean "${near}"?)` : '';
    const effect = near && HOMES[near]!.places.includes(place) && WITHOUT[near] ? `: ${WITHOUT[near]}` : '';
    problems.warning(at, `is not an extension of Endpoints${meant}; neither ESP nor espresso-jwt reads it${effect}`);
  }
}

function article(place: Place): string {
  return place === 'document' ? 'the top level of the document' : place === 'operation' ? 'an operation' : `a ${place}`;
}
