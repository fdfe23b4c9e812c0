import { KeyServer } from './key-server.js';
import { jwks, makeKey, type SigningAlg } from './keys.js';
import { mint, NOW_S } from './tokens.js';

export const ISSUER = 'https://issuer.test';
export const SERVICE = 'shelves.endpoints.test.cloud.goog';
export const AUDIENCE = 'shelves-client';

/**
 * The usual set-up of a test: a key server on loopback serving one provider's JWKS, and a Swagger 2.0
 * document whose operations use it. `doc()` can be changed before the app starts.
 */
export async function fixture(alg: SigningAlg = 'RS256') {
  const server = await new KeyServer().start();
  const key = await makeKey(alg);
  const jwksUri = server.serve('/jwks', jwks(key));
  const token = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    mint(key, { iss: ISSUER, sub: 'user-1', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 3600, ...claims }, header);
  return { server, key, jwksUri, token, doc: () => bookstore(jwksUri) };
}

/** A small Endpoints-style document: one JWT provider, protected and open operations. */
export function bookstore(jwksUri: string, extra: Record<string, unknown> = {}): any {
  return {
    swagger: '2.0',
    info: { title: 'Shelves', version: '1.0.0' },
    host: SERVICE,
    basePath: '/',
    securityDefinitions: {
      issuer: {
        type: 'oauth2',
        flow: 'implicit',
        authorizationUrl: '',
        'x-google-issuer': ISSUER,
        'x-google-jwks_uri': jwksUri,
        'x-google-audiences': AUDIENCE,
        ...extra,
      },
    },
    security: [{ issuer: [] }],
    paths: {
      '/v1/shelves': {
        get: { operationId: 'listShelves', responses: { 200: { description: 'ok' } } },
        post: { operationId: 'createShelf', responses: { 200: { description: 'ok' } } },
      },
      '/v1/shelves/{shelf}': {
        get: { operationId: 'getShelf', responses: { 200: { description: 'ok' } } },
      },
      '/v1/public': {
        get: { operationId: 'publicInfo', security: [], responses: { 200: { description: 'ok' } } },
      },
    },
  };
}

export interface ProviderSpec {
  readonly name: string;
  readonly issuer: string;
  readonly jwksUri: string;
  /** `x-google-audiences`; default AUDIENCE. */
  readonly audiences?: string;
  /** `x-google-jwt-locations`; default none (ESPv2's defaults). */
  readonly locations?: readonly unknown[];
}

/**
 * A document with several providers: `GET /p/<name>` requires that provider alone; `paths` adds
 * operations of the caller's own (e.g. OR requirements).
 */
export function providersDoc(providers: readonly ProviderSpec[], paths: Record<string, unknown> = {}): any {
  const ok = { 200: { description: 'ok' } };
  return {
    swagger: '2.0',
    info: { title: 'Providers', version: '1.0.0' },
    host: SERVICE,
    securityDefinitions: Object.fromEntries(
      providers.map((p) => [
        p.name,
        {
          type: 'oauth2',
          flow: 'implicit',
          authorizationUrl: '',
          'x-google-issuer': p.issuer,
          'x-google-jwks_uri': p.jwksUri,
          'x-google-audiences': p.audiences ?? AUDIENCE,
          ...(p.locations ? { 'x-google-jwt-locations': p.locations } : {}),
        },
      ]),
    ),
    paths: {
      ...Object.fromEntries(providers.map((p) => [`/p/${p.name}`, { get: { operationId: `only_${p.name}`, security: [{ [p.name]: [] }], responses: ok } }])),
      ...paths,
    },
  };
}
