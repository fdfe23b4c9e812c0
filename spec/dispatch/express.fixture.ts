import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import { endpointsAuth, type EndpointsAuth } from '../../lib/index.js';
import { inRouteOrder, type DispatchOperation } from './dispatch-document.js';
import { CHECKED, RAN, type DispatchApp, type DispatchFixture } from './harness.js';

type Major = 4 | 5;
type Setup = 'app.use' | 'mounted' | 'Router' | 'auth.operation' | 'strict, case sensitive';
/** The order the routes are registered in: ESP's order of precedence, or its reverse (templates and `**` first). */
export type Order = 'literal first' | 'template first';

/**
 * A template as an Express route: `{x}` is `:x`; `{x=**}` is `*x` on Express 5 and `*` on Express 4;
 * a segment pattern (`{year}-{month}-{day}.csv`) keeps its literal text.
 */
export function expressPath(template: string, major: Major): string {
  return template.replace(/\{([^}=]+)=\*\*\}/g, major === 5 ? '*$1' : '*').replace(/\{([^}=]+)\}/g, ':$1');
}

/** Registers every operation's handler on `router`, in ESP's order of precedence or its reverse. */
function routes(router: express.Router, major: Major, order: Order, auth?: EndpointsAuth): void {
  const ordered = inRouteOrder();
  for (const op of order === 'literal first' ? ordered : ordered.reverse()) {
    const method = op.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'head';
    const handlers: express.RequestHandler[] = [];
    if (auth) handlers.push(auth.operation(op.id) as unknown as express.RequestHandler);
    handlers.push(handler(op));
    router[method](expressPath(op.template, major), ...handlers);
  }
}

function handler(op: DispatchOperation): express.RequestHandler {
  return (req, res) => {
    res.setHeader(RAN, op.id);
    res.setHeader(CHECKED, req.auth?.operationId ?? '');
    res.status(200).end();
  };
}

/**
 * Express 4 or 5 with the middleware set up one of the documented ways: `app.use(auth)` before the
 * routes; under a mount path (`app.use('/api', auth)`, routes on a Router mounted there, the document's
 * paths relative to it); `router.use(auth)` on a Router; `auth.operation(id)` on each route; or
 * `app.use(auth)` with `strict routing` and `case sensitive routing` turned on.
 */
export function expressFixture(major: Major, setup: Setup, order: Order = 'literal first'): DispatchFixture {
  return {
    name: `Express ${major}, ${setup}${order === 'literal first' ? '' : `, ${order}`}`,
    async start(spec): Promise<DispatchApp> {
      const auth = endpointsAuth(spec);
      const app = major === 5 ? express() : express4();
      // Express logs every error it answers (a malformed escape's 400) unless its env is 'test'.
      app.set('env', 'test');
      let prefix = '';
      if (setup === 'auth.operation') {
        routes(app as unknown as express.Router, major, order, auth);
      } else {
        const router = (major === 5 ? express.Router : express4.Router)();
        if (setup === 'strict, case sensitive') {
          app.set('strict routing', true);
          app.set('case sensitive routing', true);
        }
        if (setup === 'mounted') {
          prefix = '/api';
          app.use(prefix, auth);
          routes(router, major, order);
          app.use(prefix, router);
        } else if (setup === 'Router') {
          router.use(auth);
          routes(router, major, order);
          app.use(router);
        } else {
          app.use(auth);
          routes(app as unknown as express.Router, major, order);
        }
      }
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        port: (server.address() as AddressInfo).port,
        prefix,
        async close() {
          auth.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}
