import { AUDIENCE, SERVICE } from '../helpers/fixture.js';

/** What an operation asks: nothing, or a token of provider A, or of provider B. */
export type Need = 'open' | 'A' | 'B';

export interface DispatchOperation {
  readonly id: string;
  /** Upper case, as in the document. */
  readonly method: string;
  /** The path template as written in the document. */
  readonly template: string;
  readonly need: Need;
}

/**
 * Literal and template neighbours, open and guarded, so that any disagreement between the check and a
 * router lands a request on a handler that asks more than the check did: a guarded literal beside an
 * open template and the other way round, a segment pattern beside a plain variable, a `**` beside a
 * literal, an explicit HEAD beside a GET, a literal with upper-case letters beside a lower-case template.
 */
export const OPERATIONS: readonly DispatchOperation[] = [
  { id: 'listItems', method: 'GET', template: '/items', need: 'open' },
  { id: 'createItem', method: 'POST', template: '/items', need: 'A' },
  { id: 'searchItems', method: 'GET', template: '/items/search', need: 'open' },
  { id: 'getItem', method: 'GET', template: '/items/{id}', need: 'A' },
  { id: 'deleteItem', method: 'DELETE', template: '/items/{id}', need: 'A' },
  { id: 'getItemJson', method: 'GET', template: '/items/{id}.json', need: 'B' },
  { id: 'getMe', method: 'GET', template: '/users/me', need: 'A' },
  { id: 'getUser', method: 'GET', template: '/users/{uid}', need: 'open' },
  { id: 'putUser', method: 'PUT', template: '/users/{uid}', need: 'B' },
  { id: 'publicFile', method: 'GET', template: '/files/public', need: 'open' },
  { id: 'getFile', method: 'GET', template: '/files/{path=**}', need: 'A' },
  { id: 'getReport', method: 'GET', template: '/reports/{year}-{month}-{day}.csv', need: 'B' },
  { id: 'getReportByName', method: 'GET', template: '/reports/{name}', need: 'open' },
  { id: 'headDoc', method: 'HEAD', template: '/docs/{doc}', need: 'open' },
  { id: 'getDoc', method: 'GET', template: '/docs/{doc}', need: 'A' },
  { id: 'getUpper', method: 'GET', template: '/Upper/Case', need: 'B' },
  { id: 'getLower', method: 'GET', template: '/upper/{x}', need: 'open' },
];

export const ISSUER_A = 'https://a.issuer.test';
export const ISSUER_B = 'https://b.issuer.test';

export interface DocumentOptions {
  /** `x-google-allow: all`: requests that match no operation pass unchecked. */
  readonly allowAll?: boolean;
  /** `x-google-endpoints[].allowCors`: OPTIONS on a defined path passes unchecked. */
  readonly allowCors?: boolean;
}

/** The Swagger 2.0 document of {@link OPERATIONS}, its two providers' keys at the given JWKS URLs. */
export function dispatchDocument(jwksA: string, jwksB: string, options: DocumentOptions = {}): Record<string, unknown> {
  const provider = (issuer: string, jwksUri: string) => ({
    type: 'oauth2',
    flow: 'implicit',
    authorizationUrl: '',
    'x-google-issuer': issuer,
    'x-google-jwks_uri': jwksUri,
    'x-google-audiences': AUDIENCE,
  });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    (paths[op.template] ??= {})[op.method.toLowerCase()] = {
      operationId: op.id,
      security: op.need === 'open' ? [] : [{ [op.need]: [] }],
      responses: { 200: { description: 'ok' } },
    };
  }
  return {
    swagger: '2.0',
    info: { title: 'Dispatch', version: '1.0.0' },
    host: SERVICE,
    ...(options.allowAll ? { 'x-google-allow': 'all' } : {}),
    ...(options.allowCors ? { 'x-google-endpoints': [{ name: SERVICE, allowCors: true }] } : {}),
    securityDefinitions: { A: provider(ISSUER_A, jwksA), B: provider(ISSUER_B, jwksB) },
    paths,
  };
}

/**
 * The operations in the order a router must see them for ESP's precedence to hold where routes are
 * tried in turn (Express): segment by segment, a literal before a pattern before `{x}` before `**`.
 */
export function inRouteOrder(operations: readonly DispatchOperation[] = OPERATIONS): DispatchOperation[] {
  const rank = (segment: string) => (!segment.includes('{') ? 0 : segment.includes('=**') ? 3 : /^\{[^}]*\}$/.test(segment) ? 2 : 1);
  const key = (op: DispatchOperation) => op.template.split('/').slice(1).map(rank);
  return [...operations].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return ka.length - kb.length;
  });
}
