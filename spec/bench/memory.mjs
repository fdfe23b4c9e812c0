// Run by the bench in its own process (node --expose-gc memory.mjs <tokens>): that many distinct valid
// tokens through espresso-jwt's check, the heap measured after a collection every tenth of the way.
// Every token is signed with HS256 from a key given up front, so minting 200,000 of them takes seconds
// (RSA would take minutes); the caches hold the same entries whatever the algorithm.
import { base64url, SignJWT } from 'jose';
import { endpointsAuth } from 'espresso-jwt';
import { benchDocument } from './document.mjs';

const count = Number(process.argv[2] ?? 200_000);
const issuer = 'https://memory.bench.test';
const audience = 'bench-audience';
const secret = crypto.getRandomValues(new Uint8Array(32));
const auth = endpointsAuth(benchDocument(1, issuer, `${issuer}/jwks.json`, audience), {
  keys: { [issuer]: { keys: [{ kty: 'oct', kid: 'memory', alg: 'HS256', k: base64url.encode(secret) }] } },
});
await auth.ready();

const heap = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const exp = Math.floor(Date.now() / 1000) + 3600;
const before = heap();
let peak = before;
for (let i = 1; i <= count; i++) {
  const token = await new SignJWT({ iss: issuer, sub: `user-${i}`, aud: audience, exp }).setProtectedHeader({ alg: 'HS256', kid: 'memory' }).sign(secret);
  const result = await auth.check({ method: 'GET', url: '/v1/shelves/42', headers: { host: 'bench.endpoints.test', authorization: `Bearer ${token}` } });
  if (!result.ok) throw new Error(`token ${i} refused: ${JSON.stringify(result)}`);
  if (i % Math.ceil(count / 10) === 0) peak = Math.max(peak, heap());
}
const after = heap();
auth.close();
process.stdout.write(`${JSON.stringify({ tokens: count, heapBefore: before, heapPeak: peak, heapAfter: after, tokenCache: auth.engine.tokenCache.size })}\n`);
