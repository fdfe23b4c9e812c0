import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixture } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { b64 } from '../helpers/tokens.js';

// Random and mutated tokens and headers against a real app. Properties: never a 5xx; never a hang (an
// answer within HANG_MS); and a request reaches the backend only with a token whose signed content (header and
// payload) is exactly what the test's key signed. (Base64url can spell the same signature bytes in
// more than one way, so the signature text itself may differ.)
const RUNS = 300;
// A hang detector, not a speed claim: one request takes milliseconds alone, and a loaded 2-core machine
// must not turn this into a failure; a request stuck on a pathological input takes far longer.
const HANG_MS = 15_000;
const PATH = '/v1/shelves';

const printable = (max: number) => fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: max }).map((cs) => String.fromCharCode(...cs));
const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';

type Mutation =
  | { op: 'replace' | 'insert'; at: number; char: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'swap-sections'; a: number; b: number }
  | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('replace' as const, 'insert' as const), at: fc.nat(), char: fc.constantFrom(...TOKEN_CHARS) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('swap-sections' as const), a: fc.nat(2), b: fc.nat(2) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(token: string, m: Mutation): string {
  const at = 'at' in m ? m.at % (token.length + 1) : 0;
  switch (m.op) {
    case 'replace':
      return token.slice(0, at) + m.char + token.slice(at + 1);
    case 'insert':
      return token.slice(0, at) + m.char + token.slice(at);
    case 'delete':
      return token.slice(0, at) + token.slice(at + m.length);
    case 'truncate':
      return token.slice(0, at);
    case 'swap-sections': {
      const parts = token.split('.');
      [parts[m.a], parts[m.b]] = [parts[m.b]!, parts[m.a]!];
      return parts.join('.');
    }
  }
}

/** Header and payload sections, empty sections dropped as the parser does. */
const signedContent = (token: string) => token.split('.').filter(Boolean).slice(0, 2).join('.');

describe('property: random and mutated tokens never get through', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  let good: string;
  before(async () => {
    f = await fixture();
    app = await startApp(f.doc());
    good = await f.token();
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  it(`${RUNS} random requests: no 5xx, no hang, 2xx only for the signed content`, async () => {
    const tokenArb = fc.oneof(
      { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => ms.reduce(mutate, good)) },
      { weight: 1, arbitrary: printable(300) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.record({ alg: fc.constantFrom('RS256', 'HS256', 'none', 'ES256', 'EdDSA', ''), kid: fc.option(fc.string(), { nil: undefined }), crit: fc.option(fc.array(fc.string()), { nil: undefined }) }, { requiredKeys: ['alg'] }),
            fc.jsonValue({ maxDepth: 3 }),
            fc.base64String({ maxLength: 400 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')),
          )
          .map(([h, p, s]) => `${b64(JSON.stringify(h))}.${b64(JSON.stringify(p))}.${s}`),
      },
      { weight: 1, arbitrary: fc.constant(good) },
    );
    const requestArb = fc.record({
      token: tokenArb,
      where: fc.constantFrom('authorization', 'x-goog-iap-jwt-assertion', 'query', 'authorization+query'),
      prefix: fc.constantFrom('Bearer ', 'bearer ', '', 'Bearer  ', 'Basic x, Bearer ', 'Bearer\t'),
      extra: fc.dictionary(fc.constantFrom('x-endpoint-api-userinfo', 'x-forwarded-proto', 'x-token', 'cookie'), printable(60), { maxKeys: 2 }),
    });

    await fc.assert(
      fc.asyncProperty(requestArb, async ({ token, where, prefix, extra }) => {
        const headers: Record<string, string> = { ...extra };
        let path = PATH;
        if (where.startsWith('authorization')) headers.authorization = prefix + token;
        if (where === 'x-goog-iap-jwt-assertion') headers[where] = token;
        if (where.endsWith('query')) path += `?access_token=${encodeURIComponent(token)}`;
        const r = await app.send(path, { headers, timeoutMs: HANG_MS });
        assert.ok(r.status < 500, `status ${r.status} for ${JSON.stringify({ path, headers })}: ${r.text}`);
        if (r.status >= 200 && r.status < 300) {
          assert.equal(signedContent(r.json.auth.token), signedContent(good), `reached with ${r.json.auth.token}`);
          assert.deepEqual(r.json.auth.claims, JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString()));
        } else {
          assert.ok(r.status === 401 || r.status === 403, `status ${r.status}`);
          assert.equal(r.headers.get('content-type'), 'application/json');
          assert.equal(r.json.code, r.status);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
