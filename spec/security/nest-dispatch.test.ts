import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { Controller, Get, Header, Module, Post } from '@nestjs/common';
import { fixture } from '../helpers/fixture.js';
import { serveNest, type TestNestApp } from '../helpers/nest-app.js';
import { EndpointsAuthModule } from '../../lib/nest/index.js';

// The Nest guard decides on what Nest dispatched, so a guarded handler never runs without a valid
// token, whatever the request's spelling: letter case (Express routes case-insensitively), a method
// override header (Nest does not apply it), HEAD (served by the GET handler), a fragment, an
// absolute-form target, percent-encoded letters, dots and slashes, a wildcard route (which NestJS 11
// rewrites as `{*path}` on Express 5) beside an open literal; with and without
// `x-google-allow: all`. Each handler names itself in `x-handler`; a request either is refused or
// reaches a handler whose operation is open.
const ok = { 200: { description: 'ok' } };
const OPEN = new Set(['user', 'items', 'public-file']);

@Controller('users')
class Users {
  @Get('me')
  @Header('x-handler', 'me')
  me() {
    return { handler: 'me' };
  }

  @Get(':uid')
  @Header('x-handler', 'user')
  user() {
    return { handler: 'user' };
  }
}

@Controller('items')
class Items {
  @Get()
  @Header('x-handler', 'items')
  list() {
    return { handler: 'items' };
  }

  @Post()
  @Header('x-handler', 'create')
  create() {
    return { handler: 'create' };
  }
}

/** `files/*`: NestJS 11 registers it as `files/{*path}` on Express 5 and as `files/*` on Fastify. */
@Controller('files')
class Files {
  @Get('public')
  @Header('x-handler', 'public-file')
  open() {
    return { handler: 'public-file' };
  }

  @Get('*')
  @Header('x-handler', 'file')
  file() {
    return { handler: 'file' };
  }
}

const ATTACKS: [method: string, path: string, headers?: Record<string, string>][] = [
  ['GET', '/v1/users/me'],
  ['GET', '/v1/users/ME'],
  ['GET', '/v1/users/Me'],
  ['GET', '/v1/USERS/me'],
  ['HEAD', '/v1/users/me'],
  ['HEAD', '/v1/users/ME'],
  ['GET', '/v1/users/m%65'],
  ['GET', '/v1/users/%6De'],
  ['GET', '/v1/users/me/'],
  ['GET', '/v1/users/me?x=1'],
  ['GET', '/v1/users/me#frag'],
  ['GET', '/v1/users/./me'],
  ['GET', '/v1/users/x/../me'],
  ['GET', '/v1//users/me'],
  ['GET', '/v1/users/me;x=1'],
  ['POST', '/v1/items', { 'x-http-method-override': 'GET' }],
  ['POST', '/v1/ITEMS', { 'x-http-method-override': 'GET' }],
  ['POST', '/v1/items', { 'x-http-method-override': 'OPTIONS' }],
  ['GET', '/v1/users/me', { 'x-http-method-override': 'POST' }],
  ['HEAD', '/v1/items', { 'x-http-method-override': 'GET' }],
  ['GET', '/v1/files/public'],
  ['GET', '/v1/files/%70ublic'],
  ['GET', '/v1/files//public'],
  ['GET', '/v1/files/PUBLIC'],
  ['GET', '/v1/files/a/b'],
];

for (const platform of ['Express', 'Fastify'] as const) {
  for (const allowAll of [false, true]) {
    describe(`NestJS on ${platform}: the guard checks what Nest dispatched${allowAll ? ' (x-google-allow: all)' : ''}`, () => {
      let f: Awaited<ReturnType<typeof fixture>>;
      let app: TestNestApp;
      before(async () => {
        f = await fixture();
        const d = f.doc();
        d.paths = {
          '/v1/users/me': { get: { operationId: 'getMe', responses: ok } },
          '/v1/users/{uid}': { get: { operationId: 'getUser', security: [], responses: ok } },
          '/v1/items': { get: { operationId: 'listItems', security: [], responses: ok }, post: { operationId: 'createItem', responses: ok } },
          '/v1/files/public': { get: { operationId: 'publicFile', security: [], responses: ok } },
          '/v1/files/{path=**}': { get: { operationId: 'getFile', responses: ok } },
        };
        if (allowAll) d['x-google-allow'] = 'all';
        d.cors = undefined;
        @Module({ imports: [EndpointsAuthModule.forRoot({ spec: d })], controllers: [Users, Items, Files] })
        class AppModule {}
        app = await serveNest(AppModule, { fastify: platform === 'Fastify' });
      });
      after(async () => {
        await app.close();
        await f.server.stop();
      });

      it('no guarded handler runs without a token, however the request is spelt', async () => {
        for (const [method, path, headers] of ATTACKS) {
          const r = await app.send(path, { method, headers });
          const handler = r.headers.get('x-handler');
          assert.ok(handler === null ? r.status >= 400 : OPEN.has(handler), `${method} ${path} ${JSON.stringify(headers ?? {})}: ${r.status} from handler ${handler}`);
          assert.ok(r.status < 500, `${method} ${path}: ${r.status} ${r.text}`);
        }
      });

      it("an override is held to the overriding method's operation too, as ESP holds it; req.method stays as routed", async () => {
        const r = await app.send('/v1/items', { headers: { 'x-http-method-override': 'POST' } });
        assert.equal(r.status, 401, r.text);
        assert.equal(r.headers.get('x-handler'), null);
        const authorization = `Bearer ${await f.token()}`;
        const ok = await app.send('/v1/items', { headers: { 'x-http-method-override': 'POST', authorization } });
        assert.equal(ok.headers.get('x-handler'), 'items', 'the handler of the method sent runs');
      });

      it('with a valid token the guarded handlers run', async () => {
        const authorization = `Bearer ${await f.token()}`;
        const me = await app.send('/v1/users/me', { headers: { authorization } });
        assert.equal(me.headers.get('x-handler'), 'me');
        const created = await app.send('/v1/items', { method: 'POST', headers: { authorization } });
        assert.equal(created.headers.get('x-handler'), 'create');
      });
    });
  }
}
