// `npm run bench`: every contender in its own process on 127.0.0.1, driven in turn and interleaved
// (A B C ... A B C ...), so that the machine's noise falls on all of them alike. Prints req/s, p99 and
// the ratio to bare Express measured in the same round, and writes docs/benchmarks.md with a plot.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createDevIssuer, endpointsAuth } from '../../lib/index.js';

// @ts-expect-error plain JavaScript shared with the contenders
import { benchDocument } from './document.mjs';
import { renderReport } from './report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DISTINCT = 20_000;
const AUDIENCE = 'bench-audience';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

type Workload = 'repeated' | 'distinct';
interface Contender {
  readonly key: string;
  readonly file: string;
  readonly operations?: number;
  /** The workloads it runs (default both). */
  readonly only?: Workload;
}
const CONTENDERS: Contender[] = [
  { key: 'bare', file: 'bare.mjs' },
  { key: 'empty-middleware', file: 'noop.mjs', only: 'repeated' },
  { key: 'espresso', file: 'espresso.mjs', operations: 1 },
  { key: 'espresso-1000', file: 'espresso.mjs', operations: 1000, only: 'repeated' },
  { key: 'express-jwt', file: 'express-jwt.mjs' },
  { key: 'oauth2-bearer', file: 'oauth2-bearer.mjs' },
  { key: 'jose', file: 'jose.mjs' },
  // What the targets are measured against: the best any check of each kind reaches here.
  { key: 'limit-cached', file: 'limit-cached.mjs', only: 'repeated' },
  { key: 'limit-verify', file: 'limit-verify.mjs', only: 'distinct' },
];

async function start(c: Contender, issuer: string, jwksUri: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--expose-gc', here(`./contenders/${c.file}`)], {
    env: { ...process.env, BENCH_ISSUER: issuer, BENCH_AUDIENCE: AUDIENCE, BENCH_JWKS_URI: jwksUri, BENCH_OPERATIONS: String(c.operations ?? 1) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(readline.createInterface({ input: child.stdout! }), 'line')) as [string];
  return { child, url: `http://127.0.0.1:${JSON.parse(line).port}` };
}

async function load(url: string, tokens: readonly string[]) {
  let i = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'GET',
        path: '/v1/shelves/42',
        setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${tokens[i++ % tokens.length]}` } }),
      },
    ],
  });
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const issuer = await createDevIssuer();
  process.stdout.write(`minting ${DISTINCT} distinct RS256 tokens (RSA-2048)...\n`);
  const repeated = [await issuer.sign({ sub: 'bench', aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 7200 })];
  const distinct: string[] = [];
  for (let i = 0; i < DISTINCT; i += 500) {
    distinct.push(...(await Promise.all(Array.from({ length: 500 }, (_, k) => issuer.sign({ sub: `user-${i + k}`, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 7200 })))));
  }

  const servers = new Map<string, { child: ChildProcess; url: string }>();
  for (const c of CONTENDERS) servers.set(c.key, await start(c, issuer.issuer, issuer.jwksUri));

  const workloads: Record<Workload, string[]> = { repeated, distinct };
  type Sample = { rps: number; p99: number; ratio: number };
  const samples = new Map<string, Sample[]>();
  // Warm every contender on both workloads once, unmeasured.
  const runs = (c: Contender, w: Workload) => c.only === undefined || c.only === w;
  for (const c of CONTENDERS) {
    for (const [w, t] of Object.entries(workloads) as [Workload, string[]][]) if (runs(c, w)) await load(servers.get(c.key)!.url, t.slice(0, 2000)).catch(() => undefined);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [w, tokens] of Object.entries(workloads) as [Workload, string[]][]) {
      const got = new Map<string, { rps: number; p99: number }>();
      for (const c of CONTENDERS) if (runs(c, w)) got.set(c.key, await load(servers.get(c.key)!.url, tokens));
      const bare = got.get('bare')!.rps;
      for (const [k, v] of got) {
        const id = `${w}/${k}`;
        samples.set(id, [...(samples.get(id) ?? []), { ...v, ratio: v.rps / bare }]);
      }
      process.stdout.write(`round ${round} ${w}: ${[...got].map(([k, v]) => `${k} ${Math.round(v.rps)}`).join(', ')}\n`);
    }
  }

  const stats = await (await fetch(`${servers.get('espresso')!.url}/__stats`)).json();
  for (const s of servers.values()) s.child.kill('SIGTERM');

  // Start-up of endpointsAuth on a 1,000-operation document, in this process.
  const doc = benchDocument(1000, issuer.issuer, issuer.jwksUri, AUDIENCE);
  const startup: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    endpointsAuth(doc).close();
    startup.push(performance.now() - t0);
  }
  await issuer.close();

  const rows = [...samples].map(([id, s]) => {
    const [workload, contender] = id.split('/') as [string, string];
    return { workload, contender, rps: median(s.map((x) => x.rps)), p99: median(s.map((x) => x.p99)), ratio: median(s.map((x) => x.ratio)) };
  });
  const report = renderReport({
    rows,
    startupMs: median(startup),
    memory: stats,
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`,
    date: new Date().toISOString().slice(0, 10),
    settings: `${ROUNDS} rounds x ${SECONDS} s per contender and workload, ${CONNECTIONS} connections, autocannon in the runner process`,
  });
  process.stdout.write(`\n${report.text}\n`);
  fs.writeFileSync(here('../../docs/benchmarks-ratios.svg'), report.svg);
  const mdPath = here('../../docs/benchmarks.md');
  const md = fs.existsSync(mdPath) ? fs.readFileSync(mdPath, 'utf8') : '# Benchmarks\n';
  const block = `<!-- bench:start (written by npm run bench) -->\n${report.markdown}\n<!-- bench:end -->`;
  fs.writeFileSync(mdPath, md.includes('<!-- bench:start') ? md.replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/, block) : `${md.trimEnd()}\n\n${block}\n`);
}

await main();
