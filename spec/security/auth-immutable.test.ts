import { after, before, describe, it } from 'node:test';
import 'reflect-metadata';
import { Controller, Get, Module, Req } from '@nestjs/common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serve } from '@hono/node-server';
import { fixture } from '../helpers/fixture.js';
import { startApp } from '../helpers/app.js';
import { send } from '../helpers/http.js';
import { attack, documentWithAdmin, tamper, tokenClaims } from '../helpers/auth-tamper.js';
import { serveNest } from '../helpers/nest-app.js';
import { endpointsAuth, withEndpointsAuth, type AuthInfo, type EndpointsAuthOptions } from '../../lib/index.js';
import { EndpointsAuthModule } from '../../lib/nest/index.js';

// A handler tries to change req.auth so that the same token passes an operation it should not (see
// helpers/auth-tamper.ts); in every shell the verified token's objects are frozen and it cannot.
describe('req.auth cannot change a later decision', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    f = await fixture();
  });
  after(() => f.server.stop());

  for (const compatibility of ['espv2', 'esp'] as const) {
    it(`Express middleware (${compatibility})`, async () => {
      const options: EndpointsAuthOptions = { compatibility };
      const app = await startApp(documentWithAdmin(f), options, (a, auth) => {
        a.use(auth);
        a.get('/v1/shelves', (req, res) => res.json(tamper(req.auth)));
      });
      try {
        await attack((path, token) => app.send(path, { headers: { authorization: `Bearer ${token}` } }), await f.token(tokenClaims));
      } finally {
        await app.close();
      }
    });
  }

  it('Fetch API handler (served over HTTP by @hono/node-server)', async () => {
    const auth = endpointsAuth(documentWithAdmin(f));
    const handle = auth.fetchHandler(async (request, info) => (new URL(request.url).pathname === '/v1/shelves' ? Response.json(tamper(info)) : Response.json({})));
    const server = serve({ fetch: handle, port: 0, hostname: '127.0.0.1' }) as http.Server;
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await attack((path, token) => send(base, path, { headers: { authorization: `Bearer ${token}` } }), await f.token(tokenClaims));
    } finally {
      auth.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('withEndpointsAuth (a Cloud Function handler on node:http)', async () => {
    const guarded = withEndpointsAuth(documentWithAdmin(f), (req: express.Request, res: express.Response) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/v1/shelves' ? tamper(req.auth) : {}));
    });
    const server = http.createServer((req, res) => void guarded(req as express.Request, res as express.Response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await attack((path, token) => send(base, path, { headers: { authorization: `Bearer ${token}` } }), await f.token(tokenClaims));
    } finally {
      guarded.auth.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  for (const platform of ['Express', 'Fastify'] as const) {
    it(`NestJS guard on ${platform}`, async () => {
      @Controller()
      class Tampering {
        @Get('shelves')
        list(@Req() req: { auth?: AuthInfo }) {
          return tamper(req.auth);
        }

        @Get('admin')
        admin() {
          return {};
        }

        @Get('scoped')
        scoped() {
          return {};
        }
      }
      @Module({ imports: [EndpointsAuthModule.forRoot({ spec: documentWithAdmin(f) })], controllers: [Tampering] })
      class AppModule {}
      const app = await serveNest(AppModule, { fastify: platform === 'Fastify' });
      try {
        await attack((path, token) => app.send(path, { headers: { authorization: `Bearer ${token}` } }), await f.token(tokenClaims));
      } finally {
        await app.close();
      }
    });
  }
});
