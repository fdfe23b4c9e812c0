// The measured servers: each in its own process, started from spec/bench/contenders/.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

/** repeated: one token on every request; cold: 3,000 distinct tokens in turn, each a cache miss. */
export type Workload = 'repeated' | 'cold' | 'cold-wrk';
export const WORKLOADS: readonly Workload[] = ['repeated', 'cold', 'cold-wrk'];

export interface Contender {
  readonly key: string;
  readonly file: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly workloads: readonly Workload[];
  readonly about: string;
}

const ALL: readonly Workload[] = WORKLOADS;
const AUTOCANNON: readonly Workload[] = ['repeated', 'cold'];

export const CONTENDERS: readonly Contender[] = [
  { key: 'bare', file: 'bare.mjs', workloads: ALL, about: 'Express 5, no middleware: every ratio is taken against it' },
  { key: 'empty-middleware', file: 'noop.mjs', workloads: ['repeated'], about: 'a middleware that checks nothing and passes on after a promise tick' },
  { key: 'espresso', file: 'espresso.mjs', workloads: ALL, about: 'espresso-jwt from its build, ESPv2 rules, 1 operation' },
  { key: 'espresso-1000', file: 'espresso.mjs', env: { BENCH_OPERATIONS: '1000' }, workloads: ['repeated'], about: 'the same on a 1,000-operation document' },
  { key: 'espresso-esp', file: 'espresso.mjs', env: { BENCH_COMPATIBILITY: 'esp' }, workloads: AUTOCANNON, about: "ESP v1.60's rules" },
  { key: 'espresso-esp-1.32', file: 'espresso.mjs', env: { BENCH_COMPATIBILITY: 'esp-1.32' }, workloads: AUTOCANNON, about: "ESP v1.32's rules" },
  { key: 'fetch-bare', file: 'fetch-bare.mjs', workloads: AUTOCANNON, about: 'a Fetch API handler on @hono/node-server, no check' },
  { key: 'espresso-fetch', file: 'espresso-fetch.mjs', workloads: AUTOCANNON, about: "espresso-jwt's Fetch shell (fetchHandler) on @hono/node-server" },
  { key: 'express-jwt', file: 'express-jwt.mjs', workloads: ALL, about: 'express-jwt with jwks-rsa' },
  { key: 'oauth2-bearer', file: 'oauth2-bearer.mjs', workloads: ALL, about: 'express-oauth2-jwt-bearer' },
  { key: 'jose', file: 'jose.mjs', workloads: ALL, about: "a plain jose middleware: jwtVerify with jose's remote JWKS" },
  { key: 'limit-cached', file: 'limit-cached.mjs', workloads: ['repeated'], about: 'no ESP rules: a Map hit, expiry and audience compared' },
  { key: 'limit-verify', file: 'limit-verify.mjs', workloads: ['cold', 'cold-wrk'], about: "no ESP rules: node:crypto's synchronous RS256 verify, keys imported once" },
  {
    key: 'limit-verify-async',
    file: 'limit-verify-async.mjs',
    workloads: ['cold', 'cold-wrk'],
    about: 'limit-verify with a callback: the RSA arithmetic on the thread pool',
  },
  // Last in every round: a round in which it strays from `bare` by more than 5% measured the machine, not the contenders.
  { key: 'control', file: 'bare.mjs', workloads: ALL, about: 'a second bare Express process, measured last in every round' },
];

export interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * Starts a contender; `prefix` runs it under another program (valgrind, perf), `flags` are Node's.
 * Resolves once it listens.
 */
export async function startContender(c: Contender, env: Readonly<Record<string, string>>, prefix: readonly string[] = [], flags: readonly string[] = []): Promise<Server> {
  const script = fileURLToPath(new URL(`./contenders/${c.file}`, import.meta.url));
  const [command, ...args] = [...prefix, process.execPath, '--expose-gc', ...flags, script];
  const child = spawn(command!, args, { env: { ...process.env, ...env, ...c.env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${c.key} exited (${code}) before listening`);
  });
  const [line] = (await Promise.race([once(readline.createInterface({ input: child.stdout! }), 'line'), exited])) as [string];
  return { child, url: `http://127.0.0.1:${JSON.parse(line).port}` };
}

export interface Stats {
  readonly heapUsed: number;
  readonly mainUs: number | null;
  readonly allUs: number;
  readonly tokenCache?: number;
  /** Lookups the verified-token cache has answered so far (espresso-jwt's contenders). */
  readonly tokenCacheHits?: number;
}

/** The server's counters; `collect` runs a full garbage collection first (for the heap, never between timed runs). */
export async function statsOf(server: Server, collect = false): Promise<Stats> {
  return (await fetch(`${server.url}/__stats${collect ? '?gc=1' : ''}`)).json() as Promise<Stats>;
}
