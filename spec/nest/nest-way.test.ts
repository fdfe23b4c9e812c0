import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Req, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { fixture } from '../helpers/fixture.js';
import { espv2Body } from '../helpers/app.js';
import { serveNest, type TestNestApp } from '../helpers/nest-app.js';
import {
  Claims,
  EndpointsAuthGuard,
  EndpointsAuthModule,
  Public,
  type AuthInfo,
  type EndpointsAuthModuleOptions,
  type EndpointsAuthOptionsFactory,
} from '../../lib/nest/index.js';

// NestJS the Nest way, on real applications over HTTP on 127.0.0.1, on Express and on Fastify:
// `@UseGuards(EndpointsAuthGuard)` without a global guard, `overrideGuard` in @nestjs/testing,
// `@Public()`, `forRootAsync` with `useClass` and `useExisting`, and a guard of the app's own that
// runs after ours and sees `req.auth`.
type Fixture = Awaited<ReturnType<typeof fixture>>;
const MISSING = espv2Body(401, 'Jwt is missing');
const NOT_DEFINED = espv2Body(404, 'The current request is not defined by this API.');

/** The app's own guard, as in Nest's docs: it reads what ours put on the request. */
@Injectable()
class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ auth?: AuthInfo; sawAuth?: unknown }>();
    req.sawAuth = req.auth?.claims.sub ?? null;
    return true;
  }
}

@Controller('shelves')
class GuardedShelves {
  @Get()
  list(@Claims('sub') sub: unknown, @Req() req: { sawAuth?: unknown }) {
    return { sub, rolesGuardSaw: req.sawAuth ?? 'not run' };
  }
}

@Controller('health')
class Health {
  @Get()
  @Public()
  up(@Req() req: { headers: Record<string, unknown> }) {
    return { up: true, userinfo: req.headers['x-endpoint-api-userinfo'] ?? null };
  }

  @Get('deep')
  notPublic() {
    return { reached: true };
  }
}

@Public()
@Controller('metrics')
class Metrics {
  @Get()
  all() {
    return { metrics: true };
  }
}

/** `@Public()` on a route the document defines: it is checked all the same. */
@Controller('public-claims')
class Mislabelled {
  @Get()
  @Public()
  open() {
    return { reached: true };
  }
}

/** A catch-all marked public: the URLs the document defines are still checked, whichever handler serves them. */
function catchAll(wildcard: string) {
  @Public()
  @Controller('admin')
  class CatchAll {
    @Get(wildcard)
    any() {
      return { reached: true };
    }
  }
  return CatchAll;
}

for (const platform of ['Express', 'Fastify'] as const) {
  const fastify = platform === 'Fastify';
  describe(`NestJS the Nest way (${platform})`, () => {
    let f: Fixture;
    const apps: TestNestApp[] = [];
    before(async () => {
      f = await fixture();
    });
    after(async () => {
      for (const app of apps) await app.close();
      await f.server.stop();
    });
    const doc = () => {
      const d = f.doc();
      d.paths['/v1/public-claims'] = { get: { operationId: 'mislabelled', responses: { 200: { description: 'ok' } } } };
      d.paths['/v1/admin/settings'] = { get: { operationId: 'adminSettings', responses: { 200: { description: 'ok' } } } };
      return d;
    };
    const serve = async (root: Parameters<typeof serveNest>[0]) => {
      const app = await serveNest(root, { fastify });
      apps.push(app);
      return app;
    };
    const bearer = async () => ({ authorization: `Bearer ${await f.token()}` });

    it('forRoot and forRootAsync with global: false register no global guard; @UseGuards(EndpointsAuthGuard) guards where it is applied', async () => {
      @UseGuards(EndpointsAuthGuard)
      @Controller('shelves')
      class Shelves {
        @Get()
        list(@Claims('sub') sub: unknown) {
          return { sub };
        }
      }
      @Controller('elsewhere')
      class Unguarded {
        @Get()
        here() {
          return { unguarded: true };
        }
      }
      for (const auth of [
        EndpointsAuthModule.forRoot({ spec: doc(), global: false }),
        EndpointsAuthModule.forRootAsync({ global: false, useFactory: async () => ({ spec: doc() }) }),
      ]) {
        @Module({ imports: [auth], controllers: [Shelves, Unguarded] })
        class AppModule {}
        const app = await serve(AppModule);
        assert.equal((await app.send('/v1/shelves')).text, MISSING);
        assert.deepEqual((await app.send('/v1/shelves', { headers: await bearer() })).json, { sub: 'user-1' });
        assert.deepEqual((await app.send('/v1/elsewhere')).json, { unguarded: true }, 'no global guard');
      }
    });

    it('overrideGuard(EndpointsAuthGuard) replaces the guard of @UseGuards in @nestjs/testing', async () => {
      @UseGuards(EndpointsAuthGuard)
      @Controller('shelves')
      class Shelves {
        @Get()
        list(@Claims('sub') sub: unknown) {
          return { sub: sub ?? null };
        }
      }
      @Module({ imports: [EndpointsAuthModule.forRoot({ spec: doc(), global: false })], controllers: [Shelves] })
      class AppModule {}
      let asked = 0;
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
        .overrideGuard(EndpointsAuthGuard)
        .useValue({ canActivate: () => (asked++, true) })
        .compile();
      const app = await serve(moduleRef);
      const r = await app.send('/v1/shelves');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { sub: null });
      assert.equal(asked, 1, 'the replacement ran instead');
    });

    it("overrideProvider(EndpointsAuthGuard) replaces the global guard (Nest's rule for an APP_GUARD)", async () => {
      @Module({ imports: [EndpointsAuthModule.forRoot({ spec: doc() })], controllers: [GuardedShelves] })
      class AppModule {}
      let asked = 0;
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
        .overrideProvider(EndpointsAuthGuard)
        .useValue({ canActivate: () => (asked++, true) })
        .compile();
      const app = await serve(moduleRef);
      const r = await app.send('/v1/shelves');
      assert.equal(r.status, 200, r.text);
      assert.equal(asked, 1, 'the replacement ran instead');
    });

    it('@Public() keeps routes the document does not define out of the 404, on a handler or a controller', async () => {
      @Module({ imports: [EndpointsAuthModule.forRoot({ spec: doc() })], controllers: [Health, Metrics, Mislabelled, catchAll(fastify ? '*' : '*rest')] })
      class AppModule {}
      const app = await serve(AppModule);
      const health = await app.send('/v1/health', { headers: { 'x-endpoint-api-userinfo': 'forged' } });
      assert.deepEqual(health.json, { up: true, userinfo: null }, 'a client-sent user info is removed on a public route too');
      assert.deepEqual((await app.send('/v1/metrics')).json, { metrics: true });
      assert.equal((await app.send('/v1/health/deep')).text, NOT_DEFINED, 'a sibling without @Public() is not exempt');
      assert.equal((await app.send('/v1/public-claims')).text, MISSING, 'a route the document defines is checked, @Public() or not');
      assert.equal((await app.send('/v1/admin/settings')).text, MISSING, "a public catch-all serving a URL of the document is held to that URL's operation");
      assert.deepEqual((await app.send('/v1/admin/other')).json, { reached: true });
    });

    it('onError, which the module cannot honour (its filter answers refusals), is refused when the module starts', async () => {
      await assert.rejects(
        Test.createTestingModule({ imports: [EndpointsAuthModule.forRoot({ spec: doc(), onError: 'next' } as never)] }).compile(),
        (e: unknown) => e instanceof TypeError && /option onError does not apply to EndpointsAuthModule/.test(e.message),
      );
    });

    it('forRootAsync with useClass and with useExisting', async () => {
      const spec = doc();
      @Injectable()
      class AuthConfig implements EndpointsAuthOptionsFactory {
        createEndpointsAuthOptions(): EndpointsAuthModuleOptions {
          return { spec, clockSkewSeconds: 0 };
        }
      }
      @Module({ providers: [AuthConfig], exports: [AuthConfig] })
      class ConfigModule {}
      for (const auth of [
        EndpointsAuthModule.forRootAsync({ useClass: AuthConfig }),
        EndpointsAuthModule.forRootAsync({ imports: [ConfigModule], useExisting: AuthConfig }),
      ]) {
        @Module({ imports: [auth], controllers: [GuardedShelves] })
        class AppModule {}
        const app = await serve(AppModule);
        assert.equal((await app.send('/v1/shelves')).text, MISSING);
        assert.equal((await app.send('/v1/shelves', { headers: await bearer() })).json.sub, 'user-1');
      }
    });

    it("the app's own global guard, listed after ours, runs after it and sees req.auth", async () => {
      @Module({
        imports: [EndpointsAuthModule.forRoot({ spec: doc(), global: false })],
        controllers: [GuardedShelves],
        providers: [
          { provide: APP_GUARD, useExisting: EndpointsAuthGuard },
          { provide: APP_GUARD, useClass: RolesGuard },
        ],
      })
      class AppModule {}
      const app = await serve(AppModule);
      assert.deepEqual((await app.send('/v1/shelves', { headers: await bearer() })).json, { sub: 'user-1', rolesGuardSaw: 'user-1' });
      assert.equal((await app.send('/v1/shelves')).text, MISSING);
    });
  });
}

