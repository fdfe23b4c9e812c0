// Like serve.mjs, for Fetch API handlers: Node's HTTP server through @hono/node-server, the stats
// route outside the handler, the port printed on stdout.
import { serve } from '@hono/node-server';
import { threadCpu } from './serve.mjs';

export function serveFetch(name, handler, stats = () => ({})) {
  const fetch = (request) => {
    const url = new URL(request.url);
    if (url.pathname !== '/__stats') return handler(request);
    if (url.searchParams.has('gc')) globalThis.gc?.();
    return Response.json({ name, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, ...threadCpu(), ...stats() });
  };
  const server = serve({ hostname: '127.0.0.1', port: 0, fetch }, (info) => process.stdout.write(`${JSON.stringify({ port: info.port })}\n`));
  server.keepAliveTimeout = 60_000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
