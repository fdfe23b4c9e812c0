// Where a request's time goes, step by step: each step of the verification path run alone over 3,000
// distinct tokens, timed in main-thread CPU (Linux's per-thread schedstat; the process's CPU time
// elsewhere), which other work on the machine moves far less than wall-clock time.
// `node --import tsx spec/bench/steps.ts` prints microseconds per token for each step.
import fs from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import { createLocalJWKSet, importJWK, jwtVerify } from 'jose';
import { createDevIssuer, endpointsAuth } from '../../lib/index.js';
import { parseToken, type ParsedToken } from '../../lib/verify/parse-token.js';
import { TokenLru } from '../../lib/verify/token-lru.js';
import { jwsVerifier } from '../../lib/verify/jws-verifier.js';
import { decodeBase64UrlStrict } from '../../lib/verify/base64url.js';
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

/** Main-thread microseconds per item of `step` over `items`, best of 5 passes after a warm-up pass; `BATCH` in flight. */
async function measure<T>(items: readonly T[], step: (item: T) => unknown): Promise<number> {
  let best = Infinity;
  for (let pass = 0; pass < 6; pass++) {
    const t0 = mainThreadUs();
    for (let i = 0; i < items.length; i += BATCH) {
      const pending = items.slice(i, i + BATCH).map(step);
      if (pending.some((p) => p instanceof Promise)) await Promise.all(pending);
    }
    const us = (mainThreadUs() - t0) / items.length;
    if (pass > 0) best = Math.min(best, us);
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

const rows: [string, number][] = [
  ['whole check, cold token (engine.check in process)', await measure(tokens, (t) => auth.check(request(t)))],
  ['whole check, cached token', await measure(tokens.map(() => tokens[0]!), (t) => auth.check(request(t)))],
  ['parse in ESP order (parseToken)', await measure(tokens, (t) => parseToken(t))],
  [
    'signed bytes and signature from the parsed token',
    await measure(parsed, (p) => {
      const dot = p.compact.lastIndexOf('.');
      return [ascii.encode(p.compact.slice(0, dot)), decodeBase64UrlStrict(p.compact.slice(dot + 1))];
    }),
  ],
  [
    'RS256 verify, callback on the thread pool (main thread share)',
    await measure(parsed, (p) => {
      const dot = p.compact.lastIndexOf('.');
      return verifier(ascii.encode(p.compact.slice(0, dot)), decodeBase64UrlStrict(p.compact.slice(dot + 1))!);
    }),
  ],
  [
    'RS256 verify, synchronous',
    await measure(parsed, (p) => {
      const dot = p.compact.lastIndexOf('.');
      return verify('sha256', ascii.encode(p.compact.slice(0, dot)), keyObject, decodeBase64UrlStrict(p.compact.slice(dot + 1))!);
    }),
  ],
  ['verified-token cache: insert with eviction and a miss', await measure(parsed, (p) => (lru.get(p.compact), lru.set(p.compact, p)))],
  ['plain jose: jwtVerify with a local key set (for comparison)', await measure(tokens, (t) => jwtVerify(t, local, { issuer: issuer.issuer, audience, algorithms: ['RS256'] }))],
];
auth.close();
await issuer.close();
for (const [name, us] of rows) process.stdout.write(`${us.toFixed(1).padStart(7)} us  ${name}\n`);
