import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import Koa from 'koa';
import Router from '@koa/router';
import endpointsAuthPlugin from '../../lib/fastify/index.js';
import { endpointsAuth as honoAuth } from '../../lib/hono/index.js';
import { endpointsAuth as koaAuth } from '../../lib/koa/index.js';
import { inRouteOrder } from './dispatch-document.js';
import { CHECKED, RAN, type DispatchApp, type DispatchFixture } from './harness.js';

const colon = (t: string, rest: string) => t.replace(/\{([^}=]+)=\*\*\}/g, rest).replace(/\{([^}=]+)\}/g, ':$1');

export const fastifyFixture: DispatchFixture = {
  name: 'Fastify',
  async start(spec) {
    const app = Fastify();
    await app.register(endpointsAuthPlugin, { spec });
    const ops = inRouteOrder().sort((a, b) => (a.method === 'HEAD' ? -1 : b.method === 'HEAD' ? 1 : 0));
    for (const op of ops) {
      app.route({
        method: op.method as 'GET',
        url: colon(op.template, '*'),
        handler: async (request, reply) => {
          reply.header(RAN, op.id).header(CHECKED, request.auth?.operationId ?? '');
          return '';
        },
      });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as AddressInfo).port, prefix: '', close: () => app.close() };
  },
};

export const honoFixture: DispatchFixture = {
  name: 'Hono',
  async start(spec) {
    const app = new Hono();
    app.use(honoAuth(spec));
    for (const op of inRouteOrder()) {
      app.on(op.method, colon(op.template, '*'), (c) => {
        c.header(RAN, op.id);
        c.header(CHECKED, c.get('auth')?.operationId ?? '');
        return c.body('');
      });
    }
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    return { port: (server.address() as AddressInfo).port, prefix: '', close: () => new Promise<void>((r) => server.close(() => r())) };
  },
};

export function koaFixture(mount: 'app' | 'router'): DispatchFixture {
  return {
    name: `Koa, ${mount}.use`,
    async start(spec): Promise<DispatchApp> {
      const app = new Koa();
      const router = new Router();
      if (mount === 'app') app.use(koaAuth(spec));
      else router.use(koaAuth(spec));
      for (const op of inRouteOrder()) {
        router.register(colon(op.template, '*$1'), [op.method], (ctx) => {
          ctx.set(RAN, op.id);
          ctx.set(CHECKED, ctx.state.auth?.operationId ?? '');
          ctx.body = '';
        });
      }
      app.use(router.routes());
      const server = http.createServer(app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        port: (server.address() as AddressInfo).port,
        prefix: '',
        async close() {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}
