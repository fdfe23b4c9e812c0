import 'reflect-metadata';
import { Controller, Get, GoneException, Module, Param, Post, Req, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Claims } from '../../lib/nest/index.js';
import { send, type Reply, type SendInit } from './http.js';

type Incoming = { headers: Record<string, string | string[] | undefined>; url?: string; originalUrl?: string };
const userInfo = (req: Incoming) => req.headers['x-endpoint-api-userinfo'] ?? null;

// Controllers of the bookstore document. Their own paths leave out `/v1`: the global prefix or URI
// versioning adds it, as in real apps, and `:shelf` is Nest's syntax for the document's `{shelf}`.
@Controller('shelves')
class ShelvesController {
  @Get()
  list(@Claims() claims: unknown, @Claims('email') email: unknown, @Req() req: Incoming) {
    return { claims, email: email ?? null, userinfo: userInfo(req) };
  }

  @Get(':shelf')
  get(@Param('shelf') shelf: string, @Claims('sub') sub: unknown) {
    return { shelf, sub };
  }

  @Post()
  create(@Claims('sub') sub: unknown) {
    return { created: true, sub };
  }
}

@Controller('public')
class PublicController {
  @Get()
  info(@Claims() claims: unknown, @Req() req: Incoming) {
    return { claims: claims ?? null, userinfo: userInfo(req) };
  }
}

@Controller('health')
class HealthController {
  @Get()
  health() {
    return { up: true };
  }

  @Get('gone')
  gone() {
    throw new GoneException('shelf gone');
  }
}

export interface TestNestApp {
  readonly base: string;
  readonly app: INestApplication;
  send(path: string, init?: SendInit): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * A real Nest application on 127.0.0.1 with the bookstore controllers and the given auth module
 * (`EndpointsAuthModule.forRoot(...)` or `forRootAsync(...)`). `/v1` comes from the global prefix or,
 * with `versioning`, from URI versioning.
 */
export async function startNestApp(authModule: DynamicModule, init: NestInit = {}): Promise<TestNestApp> {
  @Module({ imports: [authModule], controllers: [ShelvesController, PublicController, HealthController] })
  class AppModule {}
  return serveNest(AppModule, init);
}

export interface NestInit {
  versioning?: boolean;
  fastify?: boolean;
  configure?: (app: INestApplication) => void;
}

/**
 * Serves an application module (or, from `@nestjs/testing`, a compiled testing module) on 127.0.0.1,
 * on Express or Fastify, with `/v1` from the global prefix or URI versioning.
 */
export async function serveNest(root: Type | TestingModule, init: NestInit = {}): Promise<TestNestApp> {
  let app: INestApplication;
  const options = { logger: false as const, abortOnError: false };
  if (init.fastify) {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = root instanceof TestingModule ? root.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), options) : await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), options);
  } else {
    app = root instanceof TestingModule ? root.createNestApplication(options) : await NestFactory.create(root, options);
  }
  if (init.versioning) {
    const { VersioningType } = await import('@nestjs/common');
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  } else {
    app.setGlobalPrefix('v1');
  }
  init.configure?.(app);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { base, app, send: (path, sendInit) => send(base, path, sendInit), close: () => app.close() };
}
