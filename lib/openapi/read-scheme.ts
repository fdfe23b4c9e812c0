import type { ApiKeyScheme, KeySource, Provider } from './model.js';
import { checkIssuer, checkKeyUrl } from './check-key-url.js';
import { readLocations } from './read-locations.js';
import { isObject, jsonPath, type Problems } from './problems.js';

export type Scheme =
  | { readonly kind: 'jwt'; readonly provider: Provider }
  | { readonly kind: 'apiKey'; readonly scheme: ApiKeyScheme }
  /** A scheme espresso-jwt cannot check (basic auth, OAuth2 without an issuer...). */
  | { readonly kind: 'unsupported'; readonly why: string };

/** The x-google-* fields that only mean something next to `x-google-issuer`. */
const PROVIDER_FIELDS = ['x-google-audiences', 'x-google-jwks_uri', 'x-google-jwt-locations', 'x-google-jwks_cache_duration_in_s'] as const;

/** ESPv2's API key locations for an apiKey scheme that does not say where the key is. */
const DEFAULT_API_KEY_LOCATIONS: ApiKeyScheme['locations'] = [
  { in: 'query', name: 'key' },
  { in: 'query', name: 'api_key' },
  { in: 'header', name: 'x-api-key' },
];

/**
 * Reads one security scheme. A JWT provider is any scheme carrying `x-google-issuer` (Swagger 2.0 and
 * OpenAPI 3) or an `x-google-auth` object (OpenAPI 3, API Gateway).
 */
export function readScheme(name: string, raw: unknown, path: string, problems: Problems): Scheme {
  if (!isObject(raw)) {
    problems.error(path, 'must be a security scheme object');
    return { kind: 'unsupported', why: 'not an object' };
  }
  if (raw['x-google-issuer'] !== undefined) return readGoogleExtensions(name, raw, path, problems);
  if (raw['x-google-auth'] !== undefined) return readGoogleAuth(name, raw, path, problems);
  const stray = PROVIDER_FIELDS.filter((f) => raw[f] !== undefined);
  if (stray.length) {
    // The troubleshooting guide's trap: issuer in one scheme, audiences in another.
    problems.error(
      path,
      `has ${stray.join(' and ')} but no x-google-issuer: a provider is read from one security scheme only, so ` +
        'x-google-issuer, x-google-jwks_uri and x-google-audiences must all be in the same scheme (this one is no provider)',
    );
    return { kind: 'unsupported', why: 'provider fields without x-google-issuer' };
  }
  if (raw.type === 'apiKey') return { kind: 'apiKey', scheme: readApiKey(name, raw, path, problems) };
  return {
    kind: 'unsupported',
    why: `type "${String(raw.type)}" without x-google-issuer or x-google-auth carries no issuer to check tokens against`,
  };
}

function readApiKey(name: string, raw: Record<string, unknown>, path: string, problems: Problems): ApiKeyScheme {
  if (raw.in === undefined && raw.name === undefined) return { name, locations: DEFAULT_API_KEY_LOCATIONS };
  if ((raw.in !== 'query' && raw.in !== 'header') || typeof raw.name !== 'string' || raw.name === '') {
    if (raw.in === 'cookie') problems.error(jsonPath(path, 'in'), 'API keys in cookies are not supported; use "query" or "header"');
    else problems.error(path, 'an apiKey scheme needs "in" (query or header) and "name"');
    return { name, locations: DEFAULT_API_KEY_LOCATIONS };
  }
  return {
    name,
    locations: [raw.in === 'header' ? { in: 'header', name: raw.name.toLowerCase() } : { in: 'query', name: raw.name }],
  };
}

function readGoogleExtensions(name: string, raw: Record<string, unknown>, path: string, problems: Problems): Scheme {
  const issuer = raw['x-google-issuer'];
  if (typeof issuer !== 'string' || issuer === '') {
    problems.error(jsonPath(path, 'x-google-issuer'), 'must be a non-empty string');
  }
  const jwksUri = raw['x-google-jwks_uri'];
  if (jwksUri !== undefined && (typeof jwksUri !== 'string' || jwksUri === '')) {
    problems.error(jsonPath(path, 'x-google-jwks_uri'), 'must be a non-empty string (a URL)');
  } else if (typeof jwksUri === 'string') checkKeyUrl(jwksUri, jsonPath(path, 'x-google-jwks_uri'), problems);
  const audiences = readAudiences(raw['x-google-audiences'], jsonPath(path, 'x-google-audiences'), problems);
  const locations = readLocations(raw['x-google-jwt-locations'], jsonPath(path, 'x-google-jwt-locations'), 'value_prefix', problems);
  const cacheSeconds = readCacheSeconds(raw['x-google-jwks_cache_duration_in_s'], jsonPath(path, 'x-google-jwks_cache_duration_in_s'), problems);
  const discoveryUrl = readDiscoveryUrl(raw, typeof jwksUri === 'string', path, problems);
  if (typeof issuer === 'string' && issuer) checkIssuer(issuer, jsonPath(path, 'x-google-issuer'), issuerDiscovery(issuer, jwksUri, discoveryUrl), problems);
  return jwtScheme(name, path, String(issuer ?? ''), typeof jwksUri === 'string' ? jwksUri : undefined, discoveryUrl, audiences, audiencesText(raw['x-google-audiences']), locations, cacheSeconds);
}

/** OpenAPI 3 / API Gateway: `x-google-auth: {issuer, jwksUri, audiences: [...], jwtLocations: [...]}`. */
function readGoogleAuth(name: string, raw: Record<string, unknown>, path: string, problems: Problems): Scheme {
  const at = jsonPath(path, 'x-google-auth');
  const auth = raw['x-google-auth'];
  if (!isObject(auth)) {
    problems.error(at, 'must be an object with "issuer"');
    return { kind: 'unsupported', why: 'invalid x-google-auth' };
  }
  if (typeof auth.issuer !== 'string' || auth.issuer === '') problems.error(jsonPath(at, 'issuer'), 'must be a non-empty string');
  if (auth.jwksUri !== undefined && (typeof auth.jwksUri !== 'string' || auth.jwksUri === '')) {
    problems.error(jsonPath(at, 'jwksUri'), 'must be a non-empty string (a URL)');
  } else if (typeof auth.jwksUri === 'string') checkKeyUrl(auth.jwksUri, jsonPath(at, 'jwksUri'), problems);
  const audiences = readAudiences(auth.audiences, jsonPath(at, 'audiences'), problems);
  const locations = readLocations(auth.jwtLocations, jsonPath(at, 'jwtLocations'), 'valuePrefix', problems);
  const cacheSeconds =
    auth.jwksCacheDurationInS !== undefined
      ? readCacheSeconds(auth.jwksCacheDurationInS, jsonPath(at, 'jwksCacheDurationInS'), problems)
      : readCacheSeconds(raw['x-google-jwks_cache_duration_in_s'], jsonPath(path, 'x-google-jwks_cache_duration_in_s'), problems);
  const discoveryUrl = readDiscoveryUrl(raw, typeof auth.jwksUri === 'string', path, problems);
  if (typeof auth.issuer === 'string' && auth.issuer) checkIssuer(auth.issuer, jsonPath(at, 'issuer'), issuerDiscovery(auth.issuer, auth.jwksUri, discoveryUrl), problems);
  return jwtScheme(
    name,
    path,
    typeof auth.issuer === 'string' ? auth.issuer : '',
    typeof auth.jwksUri === 'string' ? auth.jwksUri : undefined,
    discoveryUrl,
    audiences,
    audiencesText(auth.audiences),
    locations,
    cacheSeconds,
  );
}

/** The OpenID discovery address built from the issuer, when the keys are to be found there. */
function issuerDiscovery(issuer: string, jwksUri: unknown, discoveryUrl: string | undefined): string | undefined {
  if (typeof jwksUri === 'string' && jwksUri !== '') return undefined;
  if (discoveryUrl !== undefined) return undefined;
  const source = defaultKeySource(issuer);
  return source.kind === 'discovery' ? source.url : undefined;
}

/** An OpenAPI 3 `openIdConnectUrl`, checked as a download address when the keys are to come from it. */
function readDiscoveryUrl(raw: Record<string, unknown>, hasKeyUrl: boolean, path: string, problems: Problems): string | undefined {
  if (raw.type !== 'openIdConnect' || typeof raw.openIdConnectUrl !== 'string') return undefined;
  if (!hasKeyUrl) checkKeyUrl(raw.openIdConnectUrl, jsonPath(path, 'openIdConnectUrl'), problems);
  return raw.openIdConnectUrl;
}

/** The audiences as written, for ESP v1 (which splits on "," and does not trim). */
function audiencesText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  return Array.isArray(raw) ? raw.filter((a) => typeof a === 'string').join(',') : '';
}

function jwtScheme(
  name: string,
  path: string,
  issuer: string,
  jwksUri: string | undefined,
  discoveryUrl: string | undefined,
  audiences: readonly string[],
  audiencesText: string,
  locations: Provider['locations'],
  cacheSeconds: number | undefined,
): Scheme {
  const keySource: KeySource = jwksUri
    ? { kind: 'url', url: jwksUri }
    : discoveryUrl
      ? { kind: 'discovery', url: discoveryUrl }
      : defaultKeySource(issuer);
  const provider: Provider = Object.freeze({ name, issuer, keySource, audiences, audiencesText, locations, cacheSeconds, path });
  return { kind: 'jwt', provider };
}

/** A Google service account's email: its keys are published where its name says, with no discovery. */
const SERVICE_ACCOUNT_EMAIL = /^[^@\s/]+@(?:[a-z0-9-]+\.)*gserviceaccount\.com$/i;

/**
 * Where the keys of a provider without `x-google-jwks_uri` (or `openIdConnectUrl`) come from. A service
 * account issuer (`name@project.iam.gserviceaccount.com`, `n-compute@developer.gserviceaccount.com`...)
 * gets Google's X.509 map for that account, as Service Management infers it from the email domain;
 * any other issuer gets OpenID discovery.
 */
function defaultKeySource(issuer: string): KeySource {
  if (SERVICE_ACCOUNT_EMAIL.test(issuer)) return { kind: 'url', url: `https://www.googleapis.com/service_accounts/v1/metadata/x509/${issuer}` };
  return { kind: 'discovery', url: openIdDiscoveryUrl(issuer) };
}

/**
 * ESPv2's OpenID discovery address: `https://` before an issuer that does not start with `http`, one
 * trailing `/` removed, then `/.well-known/openid-configuration`.
 */
function openIdDiscoveryUrl(issuer: string): string {
  let base = issuer.startsWith('http') ? issuer : `https://${issuer}`;
  if (base.endsWith('/')) base = base.slice(0, -1);
  return `${base}/.well-known/openid-configuration`;
}

/**
 * `x-google-audiences` is a comma-separated string (gcloud refuses a YAML list). We accept a list too,
 * with a warning, because the intent is plain. Each entry is trimmed and an empty one is kept, as
 * ESPv2's config generator keeps it (`"a,,b"` gives Envoy "a", "" and "b"; `","` gives two ""): Envoy
 * then accepts a token whose `aud` is "" (or "https://" or "/", which normalise to ""), and an entry
 * list holding only "" replaces the default audience. An empty string is no list at all (the default).
 */
function readAudiences(raw: unknown, path: string, problems: Problems): readonly string[] {
  if (raw === undefined || raw === '') return [];
  let parts: unknown[];
  if (typeof raw === 'string') parts = raw.split(',');
  else if (Array.isArray(raw)) {
    if (!path.endsWith('.audiences')) problems.warning(path, 'is a list: accepted, but gcloud refuses anything but one comma-separated string, so this document cannot be deployed to Endpoints as it is');
    parts = raw;
  } else {
    problems.error(path, 'must be a comma-separated string of audiences');
    return [];
  }
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') {
      problems.error(path, 'every audience must be a string');
      continue;
    }
    out.push(p.trim());
  }
  if (out.includes('')) {
    problems.warning(path, 'has an empty entry: ESPv2 keeps it, so a token whose aud is "" (or "https://" or "/") is accepted; remove the empty entry unless that is meant');
  }
  return Object.freeze(out);
}

function readCacheSeconds(raw: unknown, path: string, problems: Problems): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw <= 0) {
    problems.error(path, 'must be a positive whole number of seconds');
    return undefined;
  }
  return raw;
}
