import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, fixture, ISSUER, SERVICE } from '../helpers/fixture.js';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';

const API_KEY_MISSING =
  "UNAUTHENTICATED: Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const ok = { responses: { 200: { description: 'ok' } } };

/** The same API twice: once as an Endpoints Swagger 2.0 file, once as OpenAPI 3.1 with $refs and servers. */
function swagger2(jwksUri: string) {
  return {
    swagger: '2.0',
    info: { title: 'Shelves', version: '1' },
    host: SERVICE,
    basePath: '/v1',
    'x-google-endpoints': [{ name: SERVICE, allowCors: true }],
    securityDefinitions: {
      issuer: { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': ISSUER, 'x-google-jwks_uri': jwksUri, 'x-google-audiences': AUDIENCE },
      api_key: { type: 'apiKey', in: 'query', name: 'key' },
    },
    security: [{ issuer: [] }],
    paths: paths((p) => p),
  };
}

function openapi31(jwksUri: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Shelves', version: '1' },
    servers: [{ url: 'https://{region}.shelves.test/{version}', variables: { region: { default: 'eu' }, version: { default: 'v1' } } }],
    'x-google-endpoints': [{ name: SERVICE, allowCors: true }],
    components: {
      securitySchemes: {
        issuer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', 'x-google-auth': { issuer: ISSUER, jwksUri, audiences: [AUDIENCE] } },
        api_key: { $ref: '#/components/securitySchemes/key_in_query' },
        key_in_query: { type: 'apiKey', in: 'query', name: 'key' },
      },
      pathItems: { shelf: { get: { operationId: 'getShelf', ...ok } } },
    },
    security: [{ issuer: [] }],
    paths: paths((p, key) => (key === '/shelves/{shelf}' ? { $ref: '#/components/pathItems/shelf' } : p)),
  };
}

function paths(item: (p: object, key: string) => object): Record<string, object> {
  const raw: Record<string, object> = {
    '/shelves': {
      get: { operationId: 'listShelves', ...ok },
      post: { operationId: 'createShelf', security: [{ issuer: [], api_key: [] }], ...ok },
    },
    '/shelves/{shelf}': { get: { operationId: 'getShelf', ...ok } },
    '/shelves/starred': { get: { operationId: 'starredShelves', security: [], ...ok } },
    '/shelves/{shelf}:archive': { post: { operationId: 'archiveShelf', ...ok } },
    '/accounts:register': { post: { operationId: 'register', security: [{ api_key: [] }], ...ok } },
    '/mixed': { get: { operationId: 'mixed', security: [{ issuer: [] }, { api_key: [] }], ...ok } },
    '/files/*': { get: { operationId: 'getFile', ...ok } },
    '/search': { get: { operationId: 'search', security: [], ...ok } },
    '/search?beta=true': { get: { operationId: 'betaSearch', ...ok } },
  };
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, item(v, k)]));
}

type Expect = { status: number; message?: string; op?: string | null };
type Case = [name: string, method: string, path: string, credentials: { token?: boolean; key?: string }, expect: Expect];

const cases: Case[] = [
  ['no token', 'GET', '/v1/shelves', {}, { status: 401, message: 'Jwt is missing' }],
  ['valid token', 'GET', '/v1/shelves', { token: true }, { status: 200, op: 'listShelves' }],
  ['trailing slash is the same path', 'GET', '/v1/shelves/', { token: true }, { status: 200, op: 'listShelves' }],
  ['literal beats template, open operation', 'GET', '/v1/shelves/starred', {}, { status: 200, op: null }],
  ['template', 'GET', '/v1/shelves/s1', { token: true }, { status: 200, op: 'getShelf' }],
  ['template without token', 'GET', '/v1/shelves/s1', {}, { status: 401, message: 'Jwt is missing' }],
  ['percent-encoded slash stays in one segment', 'GET', '/v1/shelves/a%2Fb', { token: true }, { status: 200, op: 'getShelf' }],
  ['JWT and API key: token alone', 'POST', '/v1/shelves', { token: true }, { status: 401, message: API_KEY_MISSING }],
  ['JWT and API key: both', 'POST', '/v1/shelves?key=good', { token: true }, { status: 200, op: 'createShelf' }],
  ['JWT and API key: a key the apiKey option refuses', 'POST', '/v1/shelves?key=bad', { token: true }, { status: 400, message: 'INVALID_ARGUMENT: API key not valid. Please pass a valid API key.' }],
  ['custom verb on a template', 'POST', '/v1/shelves/s1:archive', { token: true }, { status: 200, op: 'archiveShelf' }],
  ['custom verb without token', 'POST', '/v1/shelves/s1:archive', {}, { status: 401, message: 'Jwt is missing' }],
  ['custom verb, API key only: none', 'POST', '/v1/accounts:register', {}, { status: 401, message: API_KEY_MISSING }],
  ['custom verb, API key only: given', 'POST', '/v1/accounts:register?key=good', {}, { status: 200, op: null }],
  ['[{jwt}, {api_key}]: a key alone is not enough (Endpoints)', 'GET', '/v1/mixed?key=good', {}, { status: 401, message: 'Jwt is missing' }],
  ['[{jwt}, {api_key}]: a token is', 'GET', '/v1/mixed', { token: true }, { status: 200, op: 'mixed' }],
  ['/* wildcard segment', 'GET', '/v1/files/report.pdf', { token: true }, { status: 200, op: 'getFile' }],
  ['/* wildcard segment without token', 'GET', '/v1/files/report.pdf', {}, { status: 401, message: 'Jwt is missing' }],
  ['path key without query: open', 'GET', '/v1/search?q=x', {}, { status: 200, op: null }],
  ['path key with ?beta=true chosen by the query', 'GET', '/v1/search?q=x&beta=true', {}, { status: 401, message: 'Jwt is missing' }],
  ['path key with ?beta=true and a token', 'GET', '/v1/search?beta=true', { token: true }, { status: 200, op: 'betaSearch' }],
  ['allowCors: OPTIONS on a defined path passes', 'OPTIONS', '/v1/shelves', {}, { status: 200, op: null }],
  ['matching is case sensitive', 'GET', '/v1/SHELVES', { token: true }, { status: 404, message: 'The current request is not defined by this API.' }],
  ['undefined path', 'GET', '/v2/shelves', { token: true }, { status: 404, message: 'The current request is not defined by this API.' }],
  ['undefined method', 'DELETE', '/v1/shelves', { token: true }, { status: 405, message: 'The current request is matched to the defined url template "/v1/shelves" but its http method is not allowed' }],
];

for (const [dialect, makeDoc] of [['Swagger 2.0', swagger2], ['OpenAPI 3.1', openapi31]] as const) {
  describe(`one API, same answers: ${dialect}`, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    let app: TestApp;
    let token: string;
    before(async () => {
      f = await fixture();
      token = await f.token();
      app = await startApp(makeDoc(f.jwksUri), { apiKey: (key) => key === 'good' });
    });
    after(async () => {
      await app.close();
      await f.server.stop();
    });

    for (const [name, method, path, cred, expect] of cases) {
      it(`${name}: ${method} ${path} -> ${expect.status}`, async () => {
        const r = await app.send(path, { method, headers: cred.token ? { authorization: `Bearer ${token}` } : {} });
        assert.equal(r.status, expect.status, r.text);
        if (expect.message !== undefined) assert.equal(r.text, espv2Body(expect.status, expect.message));
        if (expect.op !== undefined) {
          assert.equal(r.json.reached, true);
          assert.equal(r.json.auth?.operationId ?? null, expect.op);
        }
      });
    }
  });
}
