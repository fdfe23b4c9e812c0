import { bookstore } from '../helpers/fixture.js';

const ok = { 200: { description: 'ok' } };

/**
 * The bookstore of the other tests, with the neighbours the dispatch attacks play on: an open GET and
 * a guarded POST on one path (method override), a guarded literal beside an open template, an open literal
 * beside a guarded template (case, percent-encoding, fragments).
 */
export function shellDoc(jwksUri: string): any {
  const doc = bookstore(jwksUri);
  Object.assign(doc.paths, {
    '/notes': {
      get: { operationId: 'listNotes', security: [], responses: ok },
      post: { operationId: 'createNote', responses: ok },
    },
    '/items/search': { get: { operationId: 'searchItems', responses: ok } },
    '/items/{id}': { get: { operationId: 'getItem', security: [], responses: ok } },
    '/users/me': { get: { operationId: 'getMe', responses: ok } },
    '/users/{uid}': { get: { operationId: 'getUser', security: [], responses: ok } },
    '/docs/readme': { get: { operationId: 'readme', security: [], responses: ok } },
    '/docs/{page}': { get: { operationId: 'getPage', responses: ok } },
    '/files/public': { get: { operationId: 'publicFile', security: [], responses: ok } },
    '/files/{path=**}': { get: { operationId: 'getFile', responses: ok } },
  });
  return doc;
}

/**
 * The routes every shell's test app serves, in the `:param` syntax Fastify, Hono and @koa/router share;
 * guarded literals before their open neighbours, so that a router that lets both match runs the guarded one.
 */
export const ROUTES: readonly (readonly [method: 'GET' | 'POST', path: string])[] = [
  ['GET', '/v1/shelves'],
  ['POST', '/v1/shelves'],
  ['GET', '/v1/shelves/:shelf'],
  ['GET', '/v1/public'],
  ['GET', '/notes'],
  ['POST', '/notes'],
  ['GET', '/items/search'],
  ['GET', '/items/:id'],
  ['GET', '/users/me'],
  ['GET', '/users/:uid'],
  ['GET', '/docs/readme'],
  ['GET', '/docs/:page'],
  ['GET', '/files/public'],
  // The rest of the path: `*` in Fastify and Hono, `*name` in @koa/router (its test names it).
  ['GET', '/files/*'],
];

/** What a handler of the test apps answers: which route ran, and what it saw. */
export interface Echo {
  reached: true;
  handler: string;
  auth: { operationId: string; claims: Record<string, unknown> } | null;
  userinfo: string | null;
}

export const GUARDED_HANDLERS = new Set(['GET /v1/shelves', 'POST /v1/shelves', 'GET /v1/shelves/:shelf', 'POST /notes', 'GET /items/search', 'GET /users/me', 'GET /docs/:page', 'GET /files/*']);
