import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { All, Controller, Delete, Get, Header, Module, type Type } from '@nestjs/common';
import { fixture } from '../helpers/fixture.js';
import { serveNest, type TestNestApp } from '../helpers/nest-app.js';
import { EndpointsAuthModule, Public } from '../../lib/nest/index.js';

// What the Nest guard holds a request to when the route Nest dispatched is not the document's, or
// cannot be read, or is @Public(): the override header never supplies the operation (Nest runs the
// handler of the method sent), HEAD is held to GET's operation however the path is spelt, a route
// pattern the mapping cannot read never lets a request through on the URL's open operation, and a
// @Public() catch-all never serves a spelling of a document URL. Each handler names itself in
// `x-handler`; a request either is refused or reaches a handler whose operation is open (under
// `x-google-allow: all`, ESP lets through what the document does not define: the DELETE handler).
const ok = { 200: { description: 'ok' } };
const open = (allowAll: boolean) => new Set(['search', 'opt-search', ...(allowAll ? ['delete'] : [])]);

@Controller('items')
class Items {
  @Get('search')
  @Header('x-handler', 'search')
  search() {
    return {};
  }

  @Get(':id')
  @Header('x-handler', 'item')
  item() {
    return {};
  }

  /** Not in the document: ESP would refuse every DELETE under /items. */
  @Delete(':id')
  @Header('x-handler', 'delete')
  remove() {
    return {};
  }
}

@Controller('orders')
class Orders {
  @Get(':id')
  @Header('x-handler', 'order')
  order() {
    return {};
  }
}

/**
 * A pattern the route mapping cannot read, registered before the open literal so that it wins:
 * Express 5's optional group, a Fastify regular expression with a nested group.
 */
function optional(platform: 'Express' | 'Fastify') {
  @Controller('opt')
  class Optional {
    @Get(platform === 'Express' ? '{:id}' : ':id(^(\\d+|search)$)')
    @Header('x-handler', 'opt-item')
    item() {
      return {};
    }

    @Get('search')
    @Header('x-handler', 'opt-search')
    search() {
      return {};
    }
  }
  return Optional;
}

@Controller()
class Fallback {
  @Public()
  @All('*')
  @Header('x-handler', 'fallback')
  proxy() {
    return {};
  }
}

const override = (method: string) => ({ 'x-http-method-override': method });

const DISPATCH_ATTACKS: [method: string, path: string, headers?: Record<string, string>][] = [
  ['DELETE', '/v1/items/search'],
  ['DELETE', '/v1/items/search', override('GET')],
  ['DELETE', '/v1/items/search/', override('GET')],
  ['DELETE', '/v1/ITEMS/search', override('GET')],
  ['DELETE', '/v1/items/7', override('GET')],
  ['GET', '/v1/items/7', override('HEAD')],
  ['HEAD', '/v1/orders/7'],
  ['HEAD', '/v1/ORDERS/7'],
  ['HEAD', '/v1/Orders/7'],
  ['HEAD', '/v1/ORDERS/7/'],
  ['HEAD', 'http://h/v1/ORDERS/7'],
  ['HEAD', '/v1/%6frders/7'],
  ['HEAD', '/v1/orders/%37'],
  ['GET', '/v1/ORDERS/7', override('HEAD')],
  ['GET', '/v1/opt/search'],
  ['GET', '/v1/opt/7'],
  ['GET', '/v1/OPT/search'],
  ['GET', '/v1/opt/searc%68'],
];

const FALLBACK_ATTACKS: [method: string, path: string, headers?: Record<string, string>][] = [
  ['GET', '/v1/admin'],
  ['GET', '/v1/%61dmin'],
  ['GET', '/v1/admi%6E'],
  ['GET', '/v1/ADMIN'],
  ['GET', '/v1/./admin'],
  ['GET', '/v1/x/../admin'],
  ['GET', '/v1//admin'],
  ['GET', '/v1/public/../admin'],
  ['GET', '/v1/public/%2e%2e/admin'],
  ['GET', '/v1/admin/'],
  ['POST', '/v1/admin', override('GET')],
  ['HEAD', '/v1/%41DMIN'],
];

/** The fixture's document with these paths (and allow: all when asked), served by NestJS with the guard. */
async function serveDocument(platform: 'Express' | 'Fastify', allowAll: boolean, paths: Record<string, unknown>, controllers: Type[]) {
  const f = await fixture();
  const d = f.doc();
  d.paths = paths;
  if (allowAll) d['x-google-allow'] = 'all';
  d.cors = undefined;
  @Module({ imports: [EndpointsAuthModule.forRoot({ spec: d })], controllers })
  class AppModule {}
  return { f, app: await serveNest(AppModule, { fastify: platform === 'Fastify' }) };
}

for (const platform of ['Express', 'Fastify'] as const) {
  for (const allowAll of [false, true]) {
    const mode = allowAll ? ' (x-google-allow: all)' : '';
    describe(`NestJS on ${platform}: routes the document does not define${mode}`, () => {
      let f: Awaited<ReturnType<typeof fixture>>;
      let app: TestNestApp;
      before(async () => {
        ({ f, app } = await serveDocument(platform, allowAll, {
          '/v1/items/search': { get: { operationId: 'search', security: [], responses: ok } },
          '/v1/items/{id}': { get: { operationId: 'getItem', responses: ok } },
          '/v1/orders/{id}': { get: { operationId: 'getOrder', responses: ok }, head: { operationId: 'headOrder', security: [], responses: ok } },
          '/v1/opt/search': { get: { operationId: 'optSearch', security: [], responses: ok } },
          '/v1/opt/{id}': { get: { operationId: 'optItem', responses: ok } },
        }, [Items, Orders, optional(platform)]));
      });
      after(async () => {
        await app.close();
        await f.server.stop();
      });

      it('no guarded or undocumented handler runs without a token, whatever the override, the spelling or the pattern', async () => {
        for (const [method, path, headers] of DISPATCH_ATTACKS) {
          const r = await app.send(path, { method, headers });
          const handler = r.headers.get('x-handler');
          assert.ok(handler === null ? r.status >= 400 : open(allowAll).has(handler), `${method} ${path} ${JSON.stringify(headers ?? {})}: ${r.status} from handler ${handler}`);
          assert.ok(r.status < 500, `${method} ${path}: ${r.status} ${r.text}`);
        }
      });

      it('a route the document lacks gets ESP’s answer for the method sent, not the override’s operation', async () => {
        if (allowAll) return;
        const r = await app.send('/v1/items/search', { method: 'DELETE', headers: override('GET') });
        assert.equal(r.status, 405, r.text);
      });

      it('with a valid token the guarded handlers run, on HEAD too', async () => {
        const authorization = `Bearer ${await f.token()}`;
        assert.equal((await app.send('/v1/items/7', { headers: { authorization } })).headers.get('x-handler'), 'item');
        assert.equal((await app.send(platform === 'Express' ? '/v1/ORDERS/7' : '/v1/%6frders/7', { method: 'HEAD', headers: { authorization } })).headers.get('x-handler'), 'order');
        assert.equal((await app.send('/v1/opt/7', { headers: { authorization } })).headers.get('x-handler'), 'opt-item');
        assert.equal((await app.send('/v1/items/search')).headers.get('x-handler'), 'search', 'the open literal stays open');
      });
    });

    describe(`NestJS on ${platform}: a @Public() catch-all beside the document${mode}`, () => {
      let f: Awaited<ReturnType<typeof fixture>>;
      let app: TestNestApp;
      before(async () => {
        ({ f, app } = await serveDocument(platform, allowAll, {
          '/v1/admin': { get: { operationId: 'admin', responses: ok } },
          '/v1/public': { get: { operationId: 'publicInfo', security: [], responses: ok } },
        }, [Fallback]));
      });
      after(async () => {
        await app.close();
        await f.server.stop();
      });

      it('never serves a spelling of a document URL, with any method, without a token', async () => {
        for (const [method, path, headers] of FALLBACK_ATTACKS) {
          const r = await app.send(path, { method, headers });
          assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} ${JSON.stringify(headers ?? {})}: ${r.status} from handler ${r.headers.get('x-handler')}`);
        }
      });

      it('a method the document does not define at a document URL gets ESP’s answer', async () => {
        // Fastify's @All() route lists the common methods only: PURGE never reaches it there.
        for (const method of platform === 'Express' ? ['PURGE', 'OPTIONS', 'DELETE'] : ['OPTIONS', 'DELETE', 'PATCH']) {
          const r = await app.send('/v1/admin', { method });
          // Under `x-google-allow: all` ESP forwards what the document does not define.
          if (allowAll) assert.equal(r.headers.get('x-handler'), 'fallback', `${method}: ${r.status} ${r.text}`);
          else assert.equal(r.status, 405, `${method}: ${r.status} ${r.text}`);
        }
      });

      it('still serves URLs no reading maps to the document', async () => {
        for (const path of ['/v1/elsewhere', '/v1/admin2', '/v1/assets/app.js']) {
          const r = await app.send(path);
          assert.equal(r.headers.get('x-handler'), 'fallback', `${path}: ${r.status} ${r.text}`);
        }
      });
    });
  }
}
