import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import { keysForSuite, sendRaw, RAN, type DispatchKeys } from '../dispatch/harness.js';
import { recordingLogger, type RecordingLogger } from '../helpers/logger.js';
import { endpointsAuth, type EndpointsAuth } from '../../lib/index.js';

// Red team, route order (ESP picks the most specific template, Express the first registered route that
// matches). Document: GET /users/me open beside GET /users/{uid} needing A; GET /files/public open beside
// GET /files/{path=**} needing A. An app that registers the guarded template first must not run its
// handler for /users/me or /files/public without A's token.
const PATHS = {
  '/users/me': { get: { operationId: 'getMe', security: [], responses: { 200: { description: 'ok' } } } },
  '/users/{uid}': { get: { operationId: 'getUser', security: [{ A: [] }], responses: { 200: { description: 'ok' } } } },
  '/files/public': { get: { operationId: 'publicFile', security: [], responses: { 200: { description: 'ok' } } } },
  '/files/{path=**}': { get: { operationId: 'getFile', security: [{ A: [] }], responses: { 200: { description: 'ok' } } } },
};

type Major = 4 | 5;
type Setup = 'app.use' | 'Router' | 'mounted';
type Order = 'template first' | 'literal first';

interface Running {
  readonly port: number;
  readonly prefix: string;
  readonly logger: RecordingLogger;
  readonly app: express.Express;
  readonly auth: EndpointsAuth;
  close(): Promise<void>;
}

const ran = (id: string): express.RequestHandler => (_req, res) => {
  res.setHeader(RAN, id);
  res.status(200).end();
};

function register(router: express.Router, major: Major, order: Order | 'none'): void {
  if (order === 'none') return;
  const rest = major === 5 ? '/files/*path' : '/files/*';
  const templates = () => {
    router.get('/users/:uid', ran('getUser'));
    router.get(rest, ran('getFile'));
  };
  const literals = () => {
    router.get('/users/me', ran('getMe'));
    router.get('/files/public', ran('publicFile'));
  };
  if (order === 'template first') {
    templates();
    literals();
  } else {
    literals();
    templates();
  }
}

async function start(keys: DispatchKeys, major: Major, setup: Setup, order: Order | 'none'): Promise<Running> {
  const logger = recordingLogger();
  const auth = endpointsAuth({ ...keys.document(), paths: PATHS }, { logger });
  const app = (major === 5 ? express() : express4()) as express.Express;
  app.set('env', 'test');
  const router = (major === 5 ? express.Router : express4.Router)() as express.Router;
  let prefix = '';
  if (setup === 'app.use') {
    app.use(auth as unknown as express.RequestHandler);
    register(app as unknown as express.Router, major, order);
  } else if (setup === 'Router') {
    router.use(auth as unknown as express.RequestHandler);
    register(router, major, order);
    app.use(router);
  } else {
    prefix = '/api';
    app.use(prefix, auth as unknown as express.RequestHandler);
    register(router, major, order);
    app.use(prefix, router);
  }
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    prefix,
    logger,
    app,
    auth,
    async close() {
      auth.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('red team: Express route order', () => {
  const keys = keysForSuite();

  for (const major of [4, 5] as const) {
    for (const setup of ['app.use', 'Router', 'mounted'] as const) {
      describe(`Express ${major}, ${setup}`, () => {
        it('template first: /users/me and /files/public run the guarded handlers only with their token', async () => {
          const app = await start(keys, major, setup, 'template first');
          try {
            for (const [target, guarded] of [['/users/me', 'getUser'], ['/files/public', 'getFile'], ['/users/ME', 'getUser']] as const) {
              const none = await sendRaw(app.port, 'GET', app.prefix + target, {});
              assert.equal(none.status, 401, target);
              assert.equal(none.headers.get(RAN), undefined, target);
              // The document has no HEAD: ESP answers 405, and no handler runs.
              const head = await sendRaw(app.port, 'HEAD', app.prefix + target, {});
              assert.equal(head.status, 405, `HEAD ${target}`);
              assert.equal(head.headers.get(RAN), undefined, `HEAD ${target}`);
              const a = await sendRaw(app.port, 'GET', app.prefix + target, { Authorization: `Bearer ${keys.tokens.A}` });
              assert.equal(a.status, 200, target);
              assert.equal(a.headers.get(RAN), guarded, target);
              // B's token proves nothing A's operations accept.
              assert.equal((await sendRaw(app.port, 'GET', app.prefix + target, { Authorization: `Bearer ${keys.tokens.B}` })).status, 401, target);
            }
            // A neighbour the earlier route matches alone is decided as before.
            assert.equal((await sendRaw(app.port, 'GET', `${app.prefix}/users/42`, {})).status, 401);
          } finally {
            await app.close();
          }
        });

        it('literal first: the open literals stay open, and nothing is logged', async () => {
          const app = await start(keys, major, setup, 'literal first');
          try {
            for (const [target, open] of [['/users/me', 'getMe'], ['/files/public', 'publicFile']] as const) {
              const none = await sendRaw(app.port, 'GET', app.prefix + target, {});
              assert.equal(none.status, 200, target);
              assert.equal(none.headers.get(RAN), open, target);
            }
            assert.equal((await sendRaw(app.port, 'GET', `${app.prefix}/users/42`, {})).status, 401);
            assert.deepEqual(app.logger.matching(/registered before/), []);
          } finally {
            await app.close();
          }
        });
      });
    }

    it(`Express ${major}: one warning per pair names both routes and the fix`, async () => {
      const app = await start(keys, major, 'app.use', 'template first');
      try {
        for (let i = 0; i < 3; i++) await sendRaw(app.port, 'GET', '/users/me', {});
        const lines = app.logger.matching(/registered before/, 'warn');
        assert.equal(lines.length, 2, lines.join('\n'));
        assert.match(lines.join('\n'), /GET \/users\/:uid is registered before GET \/users\/me/);
        assert.match(lines.join('\n'), /Register \/users\/me first, or guard each route with auth\.operation\(id\)/);
      } finally {
        await app.close();
      }
    });

    it(`Express ${major}: routes registered after the first request are learned too`, async () => {
      const app = await start(keys, major, 'app.use', 'none');
      try {
        // No route yet: nothing to hold the open /users/me to, and no handler to run.
        assert.equal((await sendRaw(app.port, 'GET', '/users/me', {})).status, 404);
        app.app.get('/users/me', ran('getMe'));
        app.app.get('/users/:uid', ran('getUser'));
        app.app.get(major === 5 ? '/files/*path' : '/files/*', ran('getFile'));
        app.app.get('/files/public', ran('publicFile'));
        const me = await sendRaw(app.port, 'GET', '/users/me', {});
        assert.equal(me.status, 200);
        assert.equal(me.headers.get(RAN), 'getMe');
        const file = await sendRaw(app.port, 'GET', '/files/public', {});
        assert.equal(file.status, 401);
        assert.equal(file.headers.get(RAN), undefined);
      } finally {
        await app.close();
      }
    });
  }

  it('without a readable Express router, a request is held to every template that matches it', async () => {
    const auth = endpointsAuth({ ...keys.document(), paths: PATHS });
    const server = http.createServer((req, res) => {
      auth(req, res, () => {
        res.setHeader(RAN, 'next');
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      assert.equal((await sendRaw(port, 'GET', '/users/me', {})).status, 401);
      assert.equal((await sendRaw(port, 'GET', '/files/public', {})).status, 401);
      assert.equal((await sendRaw(port, 'GET', '/users/me', { Authorization: `Bearer ${keys.tokens.A}` })).headers.get(RAN), 'next');
    } finally {
      auth.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
