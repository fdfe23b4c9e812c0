/**
 * The neutral model that both OpenAPI dialects are read into. Everything after `openapi/` works on
 * this, never on the raw document.
 */

/** Where a provider looks for tokens. Header names are lower case. */
export type TokenLocation =
  | { readonly in: 'header'; readonly name: string; readonly prefix: string }
  | { readonly in: 'query'; readonly name: string }
  | { readonly in: 'cookie'; readonly name: string };

/** Where a provider's keys come from. */
export type KeySource =
  /** `x-google-jwks_uri` (or a default URL): JWKS, X.509 map or PEM, detected from the answer. */
  | { readonly kind: 'url'; readonly url: string }
  /** No key URL: OpenID discovery at this address gives `jwks_uri`. */
  | { readonly kind: 'discovery'; readonly url: string };

/** A JWT provider: a security scheme that carries an issuer. */
export interface Provider {
  /** The security scheme's name in the document. */
  readonly name: string;
  readonly issuer: string;
  readonly keySource: KeySource;
  /** `x-google-audiences`, split on "," and trimmed; empty means the default `https://<service>`. */
  readonly audiences: readonly string[];
  /** `x-google-audiences` as written (a list joined with ","), "" when absent: ESP v1 splits it without trimming. */
  readonly audiencesText: string;
  /** Token locations in the order ESPv2 extracts them (headers by name and prefix, then query, then cookies). */
  readonly locations: readonly TokenLocation[];
  /** `x-google-jwks_cache_duration_in_s`, when the scheme sets it. */
  readonly cacheSeconds: number | undefined;
  /** JSON path of the scheme, for messages. */
  readonly path: string;
}

/** An API key scheme (`type: apiKey`). */
export interface ApiKeyScheme {
  readonly name: string;
  /** Where the key is read, in order. */
  readonly locations: readonly ({ readonly in: 'query'; readonly name: string } | { readonly in: 'header'; readonly name: string })[];
}

/** One JWT provider named in a requirement object. */
export interface JwtTerm {
  readonly provider: Provider;
  /** Scopes listed for it in the requirement (enforced with `scopes: 'enforce'`). */
  readonly scopes: readonly string[];
}

/** A provider named by the legacy `x-security`, with the audiences it gives for this operation. */
export interface XSecurityTerm {
  readonly provider: Provider;
  /** Replace the provider's own audiences wherever this operation names it; undefined keeps them. */
  readonly audiences: readonly string[] | undefined;
}

/** One requirement object: everything in it must hold (AND). An empty one makes auth optional. */
export interface Alternative {
  readonly jwt: readonly JwtTerm[];
  readonly apiKeys: readonly ApiKeyScheme[];
}

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE';

export interface Operation {
  readonly id: string;
  readonly method: HttpMethod;
  /** The path template as ESP reports it: base path included, as written in the document. */
  readonly template: string;
  /**
   * The requirement objects in force, the operation's own `security` or else the top-level one (`[]`
   * when auth is off). This is the OpenAPI reading's input.
   */
  readonly alternatives: readonly Alternative[];
  /** True when the operation has its own `security` (Endpoints' converter does not inherit with `x-security`). */
  readonly ownSecurity: boolean;
  /** The legacy per-operation `x-security`, which only Endpoints' reading knows. */
  readonly xSecurity: readonly XSecurityTerm[];
  /** The request's query must carry these parameters (a path key such as `/responses?beta=true`). */
  readonly query: readonly (readonly [string, string])[];
  readonly path: string;
}

export interface ServiceModel {
  readonly serviceName: string | undefined;
  readonly providers: ReadonlyMap<string, Provider>;
  readonly operations: readonly Operation[];
  /** `x-google-allow: all`: requests that match no operation pass unchecked. */
  readonly allowUndefined: boolean;
  /** `x-google-endpoints[].allowCors`: OPTIONS on a defined path passes unchecked. */
  readonly allowCors: boolean;
}
