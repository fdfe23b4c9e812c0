// `npm run bench` (about 5 minutes) and `npm run bench -- --quick` (a smoke run of every part, about a
// minute and a half, that writes nothing; nor does a run narrowed by BENCH_ONLY or BENCH_WORKLOADS):
// every contender in its own process on 127.0.0.1, driven in turn and interleaved (A B C ... A B C ...) so that the machine's noise falls on all of them alike, with a
// second bare Express as the control; then start-up times and the heap under many distinct tokens.
// A full run writes spec/bench/last-run.json, the plot, and its section of docs/benchmarks.md.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDevIssuer } from '../../lib/index.js';
import { CONTENDERS, startContender, statsOf, WORKLOADS, type Server, type Workload } from './contenders.js';
import { autocannonLoad, hasWrk, wrkLoad, type Cursor, type Load } from './load.js';
import { LAST_RUN, PLOT, renderSvg } from './plot.js';
import { renderReport } from './report.js';
import type { Memory, Results, Sample } from './results.js';
import { measureStartup } from './startup.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = quick ? 1 : Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARM_REQUESTS = quick ? 300 : 1500;
const DISTINCT = 3000;
/**
 * Tokens that only warm the cold workloads up: they fill espresso-jwt's verified-token cache, so that
 * the measured tokens, each back only after 3,000 others, are never in it (a full cache takes a token
 * only when it comes back within a cache-size of verifications). The report counts the hits.
 */
const FILLERS = 1500;
const MEMORY_TOKENS = quick ? 20_000 : 200_000;
/** A round whose control strays further from bare is measured again, at most MAX_RERUNS times in a run. */
const CONTROL_TOLERANCE = 0.05;
const MAX_RERUNS = quick ? 0 : 3;
/** BENCH_ONLY=espresso,jose and BENCH_WORKLOADS=cold-wrk narrow a run (bare and the control always run). */
const only = process.env.BENCH_ONLY?.split(',');
const onlyWorkloads = process.env.BENCH_WORKLOADS?.split(',');
const contenders = CONTENDERS.filter((c) => !only || only.includes(c.key) || c.key === 'bare' || c.key === 'control');
const AUDIENCE = 'bench-audience';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function mint(count: number): Promise<{ issuer: Awaited<ReturnType<typeof createDevIssuer>>; repeated: string[]; distinct: string[] }> {
  const issuer = await createDevIssuer();
  const exp = Math.floor(Date.now() / 1000) + 7200;
  const repeated = [await issuer.sign({ sub: 'bench', aud: AUDIENCE, exp })];
  const distinct: string[] = [];
  for (let i = 0; i < count; i += 250) {
    distinct.push(...(await Promise.all(Array.from({ length: Math.min(250, count - i) }, (_, k) => issuer.sign({ sub: `user-${i + k}`, aud: AUDIENCE, exp })))));
  }
  return { issuer, repeated, distinct };
}

async function main() {
  const started = performance.now();
  const wrk = await hasWrk();
  if (!wrk) log('wrk is not installed: the cold-wrk workload is skipped (Debian: apt-get install wrk)');
  const workloads = WORKLOADS.filter((w) => (wrk || w !== 'cold-wrk') && (!onlyWorkloads || onlyWorkloads.includes(w)));

  log(`minting ${DISTINCT} distinct RS256 tokens for each cold workload and ${FILLERS} to warm up with (RSA-2048)...`);
  const { issuer, repeated, distinct } = await mint(2 * DISTINCT + FILLERS);
  const fillers = distinct.splice(2 * DISTINCT);
  // Each cold workload its own tokens: one never brings back a token the other sent lately.
  const wrkTokens = distinct.splice(DISTINCT);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'espresso-bench-'));
  const tokenFile = path.join(tmp, 'tokens.txt');
  fs.writeFileSync(tokenFile, `${wrkTokens.join('\n')}\n`);
  const tokensOf: Record<Workload, string[]> = { repeated, cold: distinct, 'cold-wrk': wrkTokens };
  // Per server and workload, where its next run takes up the tokens.
  const cursors = new Map<string, Cursor>();
  const cursorOf = (url: string, w: Workload): Cursor => cursors.get(`${url} ${w}`) ?? cursors.set(`${url} ${w}`, { next: 0 }).get(`${url} ${w}`)!;
  const run = (w: Workload, url: string, seconds: number): Promise<Load> =>
    w === 'cold-wrk' ? wrkLoad(url, tokenFile, seconds, CONNECTIONS, cursorOf(url, w)) : autocannonLoad(url, tokensOf[w], seconds, CONNECTIONS, undefined, cursorOf(url, w));

  const env = { BENCH_ISSUER: issuer.issuer, BENCH_AUDIENCE: AUDIENCE, BENCH_JWKS_URI: issuer.jwksUri };
  const servers = new Map<string, Server>();
  try {
    for (const c of contenders) servers.set(c.key, await startContender(c, env));

    // Warm every contender on each of its workloads, unmeasured: the JIT, the key sets, the caches.
    for (const w of workloads) {
      for (const c of contenders) {
        if (c.workloads.includes(w)) await autocannonLoad(servers.get(c.key)!.url, w === 'repeated' ? repeated : fillers, 0, CONNECTIONS, w === 'repeated' ? WARM_REQUESTS : FILLERS);
      }
    }

    const samples: Sample[] = [];
    const reruns: { round: number; workload: Workload; control: number }[] = [];
    const strayed: { round: number; workload: Workload; control: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const w of workloads) {
        for (;;) {
          const got: Sample[] = [];
          for (const c of contenders) {
            if (!c.workloads.includes(w)) continue;
            const server = servers.get(c.key)!;
            const before = await statsOf(server);
            const load = await run(w, server.url, SECONDS);
            const after = await statsOf(server);
            const per = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / load.requests);
            const hits = after.tokenCacheHits === undefined || before.tokenCacheHits === undefined ? {} : { cacheHits: after.tokenCacheHits - before.tokenCacheHits };
            got.push({ round, workload: w, contender: c.key, rps: load.rps, p99: load.p99, mainUs: per(before.mainUs, after.mainUs), allUs: per(before.allUs, after.allUs)!, ...hits });
          }
          const rps = (k: string) => got.find((s) => s.contender === k)!.rps;
          const control = rps('control') / rps('bare');
          const hitsOf = (s: Sample) => (s.cacheHits ? ` (${s.cacheHits} cache hits)` : '');
          log(`round ${round} ${w}: ${got.map((s) => `${s.contender} ${Math.round(s.rps)}${hitsOf(s)}`).join(', ')}; control/bare ${control.toFixed(3)}`);
          if (Math.abs(control - 1) > CONTROL_TOLERANCE) {
            if (reruns.length < MAX_RERUNS) {
              reruns.push({ round, workload: w, control });
              log(`  the control is off by more than ${CONTROL_TOLERANCE * 100}%: measuring round ${round} ${w} again`);
              continue;
            }
            strayed.push({ round, workload: w, control });
          }
          samples.push(...got);
          break;
        }
      }
    }
    const espressoServer = servers.get('espresso');
    if (espressoServer) {
      const espresso = await statsOf(espressoServer, true);
      log(`espresso after the runs: ${espresso.tokenCache} verified-token cache entries, heap ${(espresso.heapUsed / 2 ** 20).toFixed(1)} MiB`);
    }
    for (const s of servers.values()) s.child.kill('SIGTERM');
    servers.clear();
    await issuer.close();

    log('start-up...');
    const startup = measureStartup(quick ? 5 : 15);
    log(`memory under ${MEMORY_TOKENS} distinct tokens...`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', here('./memory.mjs'), String(MEMORY_TOKENS)], { maxBuffer: 1 << 20 });
    const memory = JSON.parse(stdout) as Memory;

    const cpu = os.cpus();
    const results: Results = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`,
      settings: `${ROUNDS} round(s) x ${SECONDS} s per contender and workload, ${CONNECTIONS} connections; autocannon runs in the runner's process, wrk in its own`,
      samples,
      reruns,
      strayed,
      startup,
      memory,
    };
    const report = renderReport(results);
    log(`\n${report.text}\n`);
    log(report.allMet ? 'every target met' : 'some targets not met (see the table)');
    log(`took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (quick || only || onlyWorkloads) {
      log('a quick or narrowed run: nothing written');
      return;
    }
    fs.writeFileSync(LAST_RUN, `${JSON.stringify(results, null, 1)}\n`);
    fs.writeFileSync(PLOT, renderSvg(results));
    const mdPath = here('../../docs/benchmarks.md');
    const md = fs.readFileSync(mdPath, 'utf8');
    const block = `<!-- bench:start (written by npm run bench) -->\n${report.markdown}\n<!-- bench:end -->`;
    fs.writeFileSync(mdPath, md.includes('<!-- bench:start') ? md.replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/, block) : `${md.trimEnd()}\n\n${block}\n`);
  } finally {
    for (const s of servers.values()) s.child.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
