import 'reflect-metadata';
import { Controller, Delete, Get, Head, Module, Post, Put, Req, Res, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EndpointsAuthModule } from '../../lib/nest/index.js';
import type { AuthInfo } from '../../lib/index.js';
import { inRouteOrder, type DispatchOperation } from './dispatch-document.js';
import { CHECKED, RAN, type DispatchApp, type DispatchFixture } from './harness.js';

type Platform = 'Express' | 'Fastify';
const DECORATORS = { GET: Get, POST: Post, PUT: Put, DELETE: Delete, HEAD: Head } as const;

/** A template in Nest's route syntax, the same on both platforms: `{x}` is `:x`, `{x=**}` is `*`. */
function nestPath(template: string): string {
  return template.replace(/\{([^}=]+)=\*\*\}/g, '*').replace(/\{([^}=]+)\}/g, ':$1');
}

/** One controller with a handler per operation, declared in ESP's order of precedence. */
function dispatchController(): new () => object {
  class DispatchController {}
  const proto = DispatchController.prototype as unknown as Record<string, unknown>;
  for (const op of inRouteOrder()) {
    const key = `handle_${op.id}`;
    proto[key] = handler(op);
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    DECORATORS[op.method as keyof typeof DECORATORS](nestPath(op.template))(proto, key, descriptor);
    Req()(proto, key, 0);
    Res({ passthrough: true })(proto, key, 1);
  }
  Controller()(DispatchController);
  return DispatchController;
}

function handler(op: DispatchOperation) {
  return (req: { auth?: AuthInfo }, res: { header(name: string, value: string): unknown }) => {
    res.header(RAN, op.id);
    res.header(CHECKED, req.auth?.operationId ?? '');
    return '';
  };
}

/** NestJS with `EndpointsAuthModule.forRoot` (its global guard) on the Express or the Fastify platform. */
export function nestFixture(platform: Platform): DispatchFixture {
  return {
    name: `NestJS on ${platform}`,
    async start(spec): Promise<DispatchApp> {
      @Module({ imports: [EndpointsAuthModule.forRoot({ spec })], controllers: [dispatchController()] })
      class AppModule {}
      let app: INestApplication;
      if (platform === 'Fastify') {
        const { FastifyAdapter } = await import('@nestjs/platform-fastify');
        app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
      } else {
        app = await NestFactory.create(AppModule, { logger: false });
      }
      await app.listen(0, '127.0.0.1');
      const port = Number(new URL((await app.getUrl()).replace('[::1]', '127.0.0.1')).port);
      return { port, prefix: '', close: () => app.close() };
    },
  };
}
