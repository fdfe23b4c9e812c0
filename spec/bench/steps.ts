// Where a request's time goes, step by step: each step of the verification path run alone over 3,000
// distinct tokens.
// - `node --import tsx spec/bench/steps.ts`: main-thread CPU per token (Linux's per-thread schedstat;
//   the process's CPU time elsewhere), which other work on the machine moves far less than wall-clock
//   time; best of 5 passes.
// - `node --import tsx spec/bench/steps.ts --allocations`: bytes allocated per token, with the young
//   generation made large enough that nothing is collected during a pass (heap used after a pass less
//   heap used before it, after a full collection); 1 minute.
// - `node --import tsx spec/bench/steps.ts --instructions`: instructions per token under valgrind's
//   callgrind (all threads, so the thread pool's RSA arithmetic counts), three passes each: the same on
//   a busy machine as on a quiet one, though a step moves by up to about 20k instructions from run to
//   run (garbage collection and V8's compiler fall in one step or another). Takes about 10 minutes.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPublicKey, verify } from 'node:crypto';
import { createLocalJWKSet, importJWK, jwtVerify } from 'jose';
import { createDevIssuer, endpointsAuth } from '../../lib/index.js';
import { parseToken, type ParsedToken } from '../../lib/verify/parse-token.js';
import { TokenLru } from '../../lib/verify/token-lru.js';
import { jwsVerifier } from '../../lib/verify/jws-verifier.js';
import { decodeBase64UrlStrict } from '../../lib/verify/base64url.js';
import { KeyStore } from '../../lib/keys/key-store.js';
import { TokenCache } from '../../lib/verify/token-cache.js';
import { verifyToken } from '../../lib/verify/verify-token.js';
import { verifySignature } from '../../lib/verify/verify-signature.js';
// @ts-expect-error plain JavaScript shared with the contenders
import { benchDocument } from './document.mjs';

const COUNT = 3000;
const BATCH = 32;

function mainThreadUs(): number {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
}

const sh = promisify(execFile);
const INSIDE = process.argv.includes('--inside-callgrind');
const ALLOCATIONS = process.argv.includes('--inside-allocations');
const dumpBase = process.env.STEPS_DUMP ?? '';

if (process.argv.includes('--allocations')) {
  // Again, with room for every pass in the young generation and a way to collect before each.
  const flags = ['--expose-gc', '--max-semi-space-size=512', '--min-semi-space-size=512'];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--inside-allocations'], { stdio: 'inherit' });
  const [code] = await once(child, 'exit');
  process.exit(code as number);
}

if (process.argv.includes('--instructions')) {
  // Run this script again under callgrind, counting off; it switches counting on around each step.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espresso-steps-'));
  const child = spawn(
    'valgrind',
    ['-q', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${path.join(dir, 'steps.out')}`, process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--inside-callgrind'],
    { stdio: 'inherit', env: { ...process.env, STEPS_DUMP: path.join(dir, 'steps.out') } },
  );
  const [code] = await once(child, 'exit');
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code as number);
}

async function pass<T>(items: readonly T[], step: (item: T) => unknown): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    const pending = items.slice(i, i + BATCH).map(step);
    if (pending.some((p) => p instanceof Promise)) await Promise.all(pending);
  }
}

/** Instructions counted while `passes` passes of `step` run, from switching counting on to the dump. */
async function countInstructions<T>(items: readonly T[], step: (item: T) => unknown, passes: number): Promise<number> {
  const pid = String(process.pid);
  const dumps = () => fs.readdirSync(path.dirname(dumpBase)).filter((f) => f.startsWith(`${path.basename(dumpBase)}.`)).length;
  const before = dumps();
  await sh('callgrind_control', ['-i', 'on', pid]);
  for (let n = 0; n < passes; n++) await pass(items, step);
  await sh('callgrind_control', ['-d', pid]);
  await sh('callgrind_control', ['-i', 'off', pid]);
  return Number(/^totals: (\d+)/m.exec(fs.readFileSync(`${dumpBase}.${before + 1}`, 'utf8'))![1]);
}

const PASSES = 3;
let overhead: number | undefined;

/**
 * Cost per item of `step` over `items` (`BATCH` in flight) after a warm-up pass: main-thread
 * microseconds (best of 5 passes), or under callgrind thousands of instructions over 3 passes, less
 * what switching counting on and off costs (starting callgrind_control is counted too), measured
 * once with a step that does nothing.
 */
async function measure<T>(items: readonly T[], step: (item: T) => unknown): Promise<number> {
  await pass(items, step);
  if (ALLOCATIONS) {
    // Best of 3: a pass that met V8's compiler or a lazy allocation inside Node counts no more.
    let best = Infinity;
    for (let n = 0; n < 3; n++) {
      (globalThis as { gc?: () => void }).gc!();
      const before = process.memoryUsage().heapUsed;
      await pass(items, step);
      best = Math.min(best, (process.memoryUsage().heapUsed - before) / items.length);
    }
    return best;
  }
  if (INSIDE) {
    overhead ??= await countInstructions(items, () => undefined, PASSES);
    return (await countInstructions(items, step, PASSES) - overhead) / (items.length * PASSES) / 1000;
  }
  let best = Infinity;
  for (let n = 0; n < 5; n++) {
    const t0 = mainThreadUs();
    await pass(items, step);
    best = Math.min(best, (mainThreadUs() - t0) / items.length);
  }
  return best;
}

const issuer = await createDevIssuer();
const audience = 'bench-audience';
const exp = Math.floor(Date.now() / 1000) + 7200;
const tokens: string[] = [];
for (let i = 0; i < COUNT; i += 250) tokens.push(...(await Promise.all(Array.from({ length: 250 }, (_, k) => issuer.sign({ sub: `user-${i + k}`, aud: audience, exp })))));
const jwk = issuer.jwks.keys[0]!;
const doc = benchDocument(1, issuer.issuer, issuer.jwksUri, audience);
const auth = endpointsAuth(doc, { keys: { [issuer.issuer]: issuer.jwks } });
await auth.ready();
const request = (token: string) => ({ method: 'GET', url: '/v1/shelves/42', headers: { host: 'bench.endpoints.test', authorization: `Bearer ${token}` } });
const parsed = tokens.map((t) => parseToken(t) as ParsedToken);
const verifier = (await jwsVerifier('RS256', (await importJWK(jwk, 'RS256')) as CryptoKey))!;
const ascii = new TextEncoder();
const keyObject = createPublicKey({ key: jwk as never, format: 'jwk' });
const local = createLocalJWKSet(issuer.jwks as never);
const lru = new TokenLru<ParsedToken>(1000);

const provider = [...auth.engine.model.providers.values()][0]!;
const keys = new KeyStore([provider], {
  fetch,
  timeoutMs: 5000,
  maxBytes: 1 << 20,
  crossHostRedirects: false,
  defaultCacheSeconds: 300,
  unknownKidCooldownMs: 30_000,
  logger: undefined,
  preloaded: { [issuer.issuer]: issuer.jwks },
  clock: () => performance.now(),
});
await keys.ready();
const ctx = { keys, cache: new TokenCache(1000), nowSeconds: Math.floor(Date.now() / 1000), skewSeconds: 60 };
const allowed = new Set([audience]);
const keySet = (await keys.for(provider).get())!;

// Both verified-token caches are filled with other tokens first: the measured tokens, each back only
// after 2,999 others, are then never taken in (a full cache takes a token only when it comes back
// within a cache-size of verifications), and every "cold" row verifies every token.
const fillers: string[] = [];
for (let i = 0; i < 1500; i += 250) fillers.push(...(await Promise.all(Array.from({ length: 250 }, (_, k) => issuer.sign({ sub: `filler-${i + k}`, aud: audience, exp })))));
for (const t of fillers) {
  await auth.check(request(t));
  await verifyToken(t, provider, allowed, ctx);
}

const rows: [string, number][] = [
  ['whole check, cold token (engine.check in process)', await measure(tokens, (t) => auth.check(request(t)))],
  ['whole check, cached token', await measure(tokens.map(() => tokens[0]!), (t) => auth.check(request(t)))],
  ['one token against one provider, cold (verifyToken)', await measure(tokens, (t) => verifyToken(t, provider, allowed, ctx))],
  ['  parse in ESP order (parseToken)', await measure(tokens, (t) => parseToken(t))],
  ['  key selection and signature (verifySignature)', await measure(parsed, (p) => verifySignature(p, keySet))],
  [
    '    signed bytes and signature from the parsed token',
    await measure(parsed, (p) => {
      const dot = p.compact.lastIndexOf('.');
      return [ascii.encode(p.compact.slice(0, dot)), decodeBase64UrlStrict(p.compact.slice(dot + 1))];
    }),
  ],
  [
    '    RS256 verify, callback on the thread pool',
    await measure(parsed, (p) => {
      const dot = p.compact.lastIndexOf('.');
      return verifier(ascii.encode(p.compact.slice(0, dot)), decodeBase64UrlStrict(p.compact.slice(dot + 1))!);
    }),
  ],
  [
    '    RS256 verify, synchronous (not used)',
    await measure(parsed, (p) => {
      const dot = p.compact.lastIndexOf('.');
      return verify('sha256', ascii.encode(p.compact.slice(0, dot)), keyObject, decodeBase64UrlStrict(p.compact.slice(dot + 1))!);
    }),
  ],
  ['  verified-token cache: a miss, an insert and an eviction', await measure(parsed, (p) => (lru.get(p.compact), lru.set(p.compact, p)))],
  ['plain jose: jwtVerify with a local key set (for comparison)', await measure(tokens, (t) => jwtVerify(t, local, { issuer: issuer.issuer, audience, algorithms: ['RS256'] }))],
];
keys.close();
auth.close();
await issuer.close();
const unit = INSIDE ? 'k instructions' : ALLOCATIONS ? 'bytes allocated' : 'us main thread';
for (const [name, cost] of rows) process.stdout.write(`${cost.toFixed(ALLOCATIONS ? 0 : 1).padStart(7)} ${unit}  ${name}\n`);
