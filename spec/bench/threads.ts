// Where each thread's CPU time goes under load, contender against contender: Linux's `perf` samples
// every thread of the server while it runs on a CPU (not while it waits, unlike `node --cpu-prof`,
// whose wall-clock samples blame whatever a preempted main thread was doing), with V8's JIT code named
// through --perf-basic-prof. `node --import tsx spec/bench/threads.ts [--seconds S] [contender:workload ...]`
// (default: espresso against limit-verify-async on cold tokens; `npm run build` first). Needs Debian's
// `linux-perf` and the right to use it (root, or kernel.perf_event_paranoid <= 1); about a minute.
//
// Each sample is charged, per request, to its thread's class (the main thread; libuv's thread pool,
// told apart by the RSA arithmetic it runs; V8's helper threads) and, on the main thread, to the
// nearest JavaScript function on its stack, grouped as the contender's own code, the frameworks
// (node_modules), Node's own JavaScript, or no JavaScript at all (the garbage collector, the kernel,
// the HTTP parser). At 999 Hz a sample stands for about a millisecond of CPU time, so samples per 1,000
// requests read as microseconds per request; perf itself slows the server, so compare rows, not runs.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDevIssuer } from '../../lib/index.js';
import { CONTENDERS, startContender } from './contenders.js';
import { autocannonLoad } from './load.js';

const HZ = 999;
const argv = process.argv.slice(2);
const at = argv.indexOf('--seconds');
const SECONDS = at >= 0 ? Number(argv[at + 1]) : 8;
const picked = argv.filter((a) => a.includes(':'));
const ROWS = picked.length ? picked : ['espresso:cold', 'limit-verify-async:cold'];
const sh = promisify(execFile);

try {
  await sh('perf', ['--version']);
} catch {
  process.stdout.write('perf is not installed (Debian: apt-get install linux-perf): nothing measured\n');
  process.exit(0);
}

const issuer = await createDevIssuer();
const audience = 'bench-audience';
const exp = Math.floor(Date.now() / 1000) + 7200;
const tokens: string[] = [];
for (let i = 0; i < 6000; i += 250) tokens.push(...(await Promise.all(Array.from({ length: 250 }, (_, k) => issuer.sign({ sub: `user-${i + k}`, aud: audience, exp })))));
// Warm-up and measured tokens apart, each list longer than any verified-token cache keeps a one-time token.
const tokensOf = { repeated: { warm: tokens.slice(0, 1), measured: tokens.slice(0, 1) }, cold: { warm: tokens.slice(3000), measured: tokens.slice(0, 3000) } };
const env = { BENCH_ISSUER: issuer.issuer, BENCH_AUDIENCE: audience, BENCH_JWKS_URI: issuer.jwksUri };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espresso-threads-'));

type Group = 'own code' | 'frameworks' | "Node's JavaScript" | 'no JavaScript';
interface Profile {
  readonly row: string;
  readonly rps: number;
  readonly threads: Record<'main' | 'thread pool' | 'V8 helpers', number>;
  readonly groups: Record<Group, number>;
  /** Per request, by the nearest JavaScript function on the main thread's stack. */
  readonly functions: Map<string, number>;
}

try {
  // The load generator warms up first, against a bare server outside perf: the first row would
  // otherwise be measured with a cold client.
  const bare = await startContender(CONTENDERS.find((c) => c.key === 'bare')!, env);
  await autocannonLoad(bare.url, tokensOf.cold.warm, 4, 32);
  const bareExited = once(bare.child, 'exit');
  bare.child.kill('SIGTERM');
  await bareExited;

  const profiles: Profile[] = [];
  for (const row of ROWS) {
    const [key, workload] = row.split(':') as [string, 'repeated' | 'cold'];
    const contender = CONTENDERS.find((c) => c.key === key);
    if (!contender || !tokensOf[workload]) throw new Error(`unknown row ${row}`);
    const data = path.join(dir, `${key}-${workload}.data`);
    const perf = ['perf', 'record', '-q', '-g', '-e', 'cpu-clock', '-F', String(HZ), '--clockid', 'monotonic', '-o', data, '--'];
    const server = await startContender(contender, env, perf, ['--perf-basic-prof']);
    let rps = 0;
    try {
      await autocannonLoad(server.url, tokensOf[workload].warm, 3, 32);
      // perf samples from the start: only the measured run's window is read (perf stamps samples with
      // the monotonic clock, as process.hrtime reads it).
      const from = monotonicSeconds();
      const load = await autocannonLoad(server.url, tokensOf[workload].measured, SECONDS, 32);
      const to = monotonicSeconds();
      rps = load.requests / (to - from);
      fs.writeFileSync(`${data}.window`, `${from} ${to}`);
    } finally {
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      await exited;
    }
    profiles.push(await read(row, data, rps));
  }
  report(profiles);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  await issuer.close();
}

function monotonicSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

async function read(row: string, data: string, rps: number): Promise<Profile> {
  const [from, to] = fs.readFileSync(`${data}.window`, 'utf8').split(' ').map(Number) as [number, number];
  const { stdout } = await sh('perf', ['script', '-i', data, '-F', 'pid,tid,time,ip,sym'], { maxBuffer: 2 ** 31 - 1 });
  const samples = stdout
    .split('\n\n')
    .map((block) => block.trim().split('\n'))
    .filter((lines) => lines[0])
    .map((lines) => {
      const [pid, tid, time] = lines[0]!.trim().split(/[\s/]+/);
      const frames = lines.slice(1).map((l) => l.trim().replace(/^[0-9a-f]+\s+/, '').replace(/file:\/\/\/\S*?\/(dist|spec|node_modules)\//, '$1/'));
      return { pid: Number(pid), tid: Number(tid), time: Number.parseFloat(time!), frames };
    });
  // The map of JIT code names that --perf-basic-prof wrote for the server, read now.
  for (const pid of new Set(samples.map((s) => s.pid))) fs.rmSync(`/tmp/perf-${pid}.map`, { force: true });
  const measured = samples.filter((s) => s.time >= from && s.time <= to);
  const byThread = new Map<number, { count: number; rsa: number }>();
  for (const s of measured) {
    const t = byThread.get(s.tid) ?? byThread.set(s.tid, { count: 0, rsa: 0 }).get(s.tid)!;
    t.count++;
    if (/^(bn_|BN_|__bn_)/.test(s.frames[0] ?? '')) t.rsa++;
  }
  const main = [...byThread].sort((a, b) => b[1].count - a[1].count)[0]![0];
  const seconds = to - from;
  const perRequest = (n: number) => n / (rps * seconds);
  const threads = { main: 0, 'thread pool': 0, 'V8 helpers': 0 };
  for (const [tid, t] of byThread) threads[tid === main ? 'main' : t.rsa > t.count / 10 ? 'thread pool' : 'V8 helpers'] += perRequest(t.count);
  const groups: Record<Group, number> = { 'own code': 0, frameworks: 0, "Node's JavaScript": 0, 'no JavaScript': 0 };
  const functions = new Map<string, number>();
  for (const s of measured) {
    if (s.tid !== main) continue;
    const js = s.frames.find((f) => f.startsWith('JS:'));
    const group: Group = !js ? 'no JavaScript' : /^JS:\S*\s(dist|spec)\//.test(js) && !js.includes('contenders/serve.mjs') ? 'own code' : js.includes('node_modules/') ? 'frameworks' : "Node's JavaScript";
    groups[group] += perRequest(1);
    // Named without the tier mark (V8 renames a function as it optimizes it), native frames by their symbol.
    const name = (js ?? s.frames[0] ?? '(unknown)').replace(/^JS:[*^~+]?/, '').replace(/:\d+:\d+$/, '');
    functions.set(name, (functions.get(name) ?? 0) + perRequest(1));
  }
  return { row, rps, threads, groups, functions };
}

function report(profiles: readonly Profile[]): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const cell = (n: number) => (n * 1000).toFixed(1);
  out(`CPU microseconds per request (perf samples at ${HZ} Hz per 1,000 requests), ${SECONDS} s of 32 connections each\n`);
  out(`| | ${profiles.map((p) => p.row).join(' | ')} |`);
  out(`|---|${profiles.map(() => '---:').join('|')}|`);
  out(`| req/s under perf | ${profiles.map((p) => Math.round(p.rps)).join(' | ')} |`);
  for (const t of ['main', 'thread pool', 'V8 helpers'] as const) out(`| ${t} thread${t === 'main' ? '' : 's'} | ${profiles.map((p) => cell(p.threads[t])).join(' | ')} |`);
  for (const g of ['own code', 'frameworks', "Node's JavaScript", 'no JavaScript'] as const) out(`| main: ${g} | ${profiles.map((p) => cell(p.groups[g])).join(' | ')} |`);
  if (profiles.length < 2) return;
  const [a, b] = profiles as [Profile, Profile];
  out(`\nmain thread, ${a.row} less ${b.row}: the functions (nearest JavaScript frame) that differ most`);
  const names = new Set([...a.functions.keys(), ...b.functions.keys()]);
  const differences = [...names].map((name) => [name, (a.functions.get(name) ?? 0) - (b.functions.get(name) ?? 0)] as const);
  for (const [name, d] of differences.sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])).slice(0, 25)) out(`${cell(d).padStart(8)}  ${name}`);
}
