import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { endpointsAuth } from '../../lib/index.js';
import { inRouteOrder } from './dispatch-document.js';
import { CHECKED, RAN, type DispatchApp, type DispatchFixture } from './harness.js';

/**
 * A template as a Hono route: `{x}` is `:x`, `{x=**}` is `*`, and a segment that mixes text and
 * variables is one parameter with a pattern that stays within the segment (`{id}.json` is
 * `:segment{[^/]+\.json}`; Hono's patterns may otherwise match a `/`).
 */
function honoPath(template: string): string {
  return template
    .split('/')
    .map((segment) => {
      if (/=\*\*\}$/.test(segment)) return '*';
      const whole = /^\{([^}=]+)\}$/.exec(segment);
      if (whole) return `:${whole[1]}`;
      if (!segment.includes('{')) return segment;
      const texts = segment.split(/\{[^}]*\}/).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return `:segment{${texts.join('[^/]+')}}`;
    })
    .join('/');
}

/**
 * The Fetch shell: `auth.fetchHandler` in front of a Hono app that routes the request it is handed
 * (the checked one), behind Node's server turned into Request objects as Workers, Deno and Bun hand
 * them over.
 */
export function fetchFixture(): DispatchFixture {
  return {
    name: 'Fetch shell (fetchHandler) in front of a Hono router',
    async start(spec): Promise<DispatchApp> {
      const auth = endpointsAuth(spec);
      const router = new Hono();
      for (const op of inRouteOrder()) {
        router.on(op.method, honoPath(op.template), () => new Response(null, { status: 200, headers: { [RAN]: op.id } }));
      }
      const handle = auth.fetchHandler(async (request, info) => {
        const response = await router.fetch(request);
        const headers = new Headers(response.headers);
        headers.set(CHECKED, info?.operationId ?? '');
        return new Response(response.body, { status: response.status, headers });
      });
      const server = http.createServer(async (req, res) => {
        const target = req.url ?? '/';
        let answer: Response;
        try {
          const request = new Request(target.startsWith('/') ? `http://${req.headers.host}${target}` : target, {
            method: req.method,
            headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
          });
          answer = await handle(request);
        } catch {
          // What a platform answers to a target it cannot make a Request of.
          answer = new Response(null, { status: 400 });
        }
        res.statusCode = answer.status;
        answer.headers.forEach((value, name) => res.setHeader(name, value));
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        port: (server.address() as AddressInfo).port,
        prefix: '',
        async close() {
          auth.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}
