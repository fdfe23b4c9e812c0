// Instructions per request under valgrind's callgrind: repeatable where req/s is not (a shared or busy
// machine). `node --import tsx spec/bench/instructions.ts [--requests N] [contender:workload ...]`
// (default: the rows below). Each contender runs under callgrind with counting off; after a warm-up
// (`--warm`, 8,000 requests: after 2,000, V8's optimizing compiler was still a tenth of a new token's
// count) it is switched on for N sequential requests on one keep-alive connection, dumped, and read
// back. Counts cover every thread of the server (the thread pool's crypto included), not the client.
// About 4 minutes.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDevIssuer } from '../../lib/index.js';
import { CONTENDERS, startContender } from './contenders.js';

const argv = process.argv.slice(2);
const at = argv.indexOf('--requests');
const REQUESTS = at >= 0 ? Number(argv[at + 1]) : 500;
const warmAt = argv.indexOf('--warm');
const WARM = warmAt >= 0 ? Number(argv[warmAt + 1]) : 8000;
const keepAt = argv.indexOf('--keep');
const keep = keepAt >= 0 ? argv[keepAt + 1] : undefined;
const picked = argv.filter((a, i) => a.includes(':') && !['--requests', '--warm', '--keep'].includes(argv[i - 1]!));
const ROWS = picked.length
  ? picked
  : ['bare:repeated', 'empty-middleware:repeated', 'limit-cached:repeated', 'espresso:repeated', 'bare:cold', 'jose:cold', 'oauth2-bearer:cold', 'limit-verify:cold', 'limit-verify-async:cold', 'espresso:cold'];

const sh = promisify(execFile);
const issuer = await createDevIssuer();
const audience = 'bench-audience';
const exp = Math.floor(Date.now() / 1000) + 7200;
const distinct: string[] = [];
for (let i = 0; i < 3000; i += 250) distinct.push(...(await Promise.all(Array.from({ length: 250 }, (_, k) => issuer.sign({ sub: `user-${i + k}`, aud: audience, exp })))));
const tokensOf = { repeated: distinct.slice(0, 1), cold: distinct };
const env = { BENCH_ISSUER: issuer.issuer, BENCH_AUDIENCE: audience, BENCH_JWKS_URI: issuer.jwksUri };
if (keep) fs.mkdirSync(keep, { recursive: true });
const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'espresso-callgrind-'));

async function requests(url: string, tokens: readonly string[], count: number, offset: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve, reject) => {
        const headers = { authorization: `Bearer ${tokens[(offset + i) % tokens.length]}` };
        http
          .get(`${url}/v1/shelves/42`, { agent, headers }, (res) => {
            if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
            res.resume().on('end', resolve);
          })
          .on('error', reject);
      });
    }
  } finally {
    agent.destroy();
  }
}

try {
  for (const row of ROWS) {
    const [key, workload] = row.split(':') as [string, 'repeated' | 'cold'];
    const contender = CONTENDERS.find((c) => c.key === key);
    if (!contender || !tokensOf[workload]) throw new Error(`unknown row ${row}`);
    const out = path.join(dir, `${key}-${workload}.out`);
    const server = await startContender(contender, env, ['valgrind', '--tool=callgrind', '-q', '--instr-atstart=no', `--callgrind-out-file=${out}`]);
    try {
      await requests(server.url, tokensOf[workload], WARM, 0);
      await sh('callgrind_control', ['-i', 'on', String(server.child.pid)]);
      // Cold rows start where the warm-up stopped, so that every measured token is new to the server.
      await requests(server.url, tokensOf[workload], REQUESTS, WARM);
      await sh('callgrind_control', ['-d', String(server.child.pid)]);
    } finally {
      // valgrind writes its last file at exit: wait for it before the folder may go.
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      await exited;
    }
    const dump = fs.readdirSync(dir).find((f) => f.startsWith(`${key}-${workload}.out.`))!;
    const total = Number(/^totals: (\d+)/m.exec(fs.readFileSync(path.join(dir, dump), 'utf8'))![1]);
    process.stdout.write(`${row.padEnd(28)} ${Math.round(total / REQUESTS / 1000).toString().padStart(6)} k instructions per request\n`);
  }
} finally {
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  await issuer.close();
}
