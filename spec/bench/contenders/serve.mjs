// Shared by every contender: one route that answers small JSON, a stats route outside any auth, and
// the port printed on stdout for the runner. Contenders are plain JavaScript run by plain node, so
// that each is measured as users run it (espresso-jwt from its build, the peers from node_modules).
import fs from 'node:fs';
import http from 'node:http';
import express from 'express';

export function serve(name, guard, stats = () => ({})) {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/__stats', (req, res) => {
    if (req.query.gc) globalThis.gc?.();
    res.json({ name, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, ...threadCpu(), ...stats() });
  });
  if (guard) app.use(guard);
  app.get('/v1/shelves/:shelf', (req, res) => res.json({ shelf: req.params.shelf }));
  const server = http.createServer(app);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/**
 * CPU time this process has used, in microseconds: its main thread alone (Linux's per-thread
 * schedstat; null elsewhere) and all its threads (the thread pool's crypto included). CPU time, unlike
 * req/s, hardly moves when other work shares the machine.
 */
export function threadCpu() {
  let mainUs = null;
  try {
    mainUs = Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    // Not Linux: the main thread's share is not reported.
  }
  const { user, system } = process.cpuUsage();
  return { mainUs, allUs: user + system };
}

/** What the runner hands every contender. */
export const env = {
  issuer: process.env.BENCH_ISSUER,
  audience: process.env.BENCH_AUDIENCE,
  jwksUri: process.env.BENCH_JWKS_URI,
  operations: Number(process.env.BENCH_OPERATIONS ?? 1),
  compatibility: process.env.BENCH_COMPATIBILITY ?? 'espv2',
};
