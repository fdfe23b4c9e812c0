import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import { endpointsAuth } from '../../lib/koa/index.js';
import type { EndpointsAuthOptions } from '../../lib/index.js';
import { send } from '../helpers/http.js';
import { ROUTES, type Echo } from './shell-doc.js';
import { shellMatrix, type ShellApp } from './shell-matrix.js';

/** A Koa app with @koa/router's defaults (case-insensitive), guarded ahead of the router or inside it. */
function startKoa(mount: 'app' | 'router') {
  return async (spec: unknown, options?: EndpointsAuthOptions): Promise<ShellApp> => {
    const app = new Koa();
    const router = new Router();
    const guard = endpointsAuth(spec, options);
    if (mount === 'app') app.use(guard);
    else router.use(guard);
    for (const [method, path] of ROUTES) {
      router.register(path.replace(/\*$/, '*rest'), [method], (ctx) => {
        ctx.body = {
          reached: true,
          handler: `${method} ${path}`,
          auth: ctx.state.auth ?? null,
          userinfo: ctx.get('x-endpoint-api-userinfo') || null,
        } satisfies Echo;
      });
    }
    app.use(router.routes());
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      base,
      send: (p, init) => send(base, p, init),
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  };
}

shellMatrix('Koa, app.use ahead of @koa/router', startKoa('app'));
shellMatrix('Koa, router.use inside @koa/router', startKoa('router'), { frameworkNotFound: true });
