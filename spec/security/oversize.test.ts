import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { b64 } from '../helpers/tokens.js';
import { send } from '../helpers/http.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';

// Tokens of about 1 MB. With Node's default 16 KB header limit, node:http itself answers 431 (or drops
// the connection) before any middleware runs; with the limit raised by the app, the middleware refuses
// them with ESPv2's message, without hanging and without keeping memory.
const MB = 1024 * 1024;
// A hang detector, not a speed claim: a parser that is quadratic in 1 MB, or one that never answers,
// takes minutes; one request takes milliseconds alone and stays far under this on a 2-core machine at
// load 16. Time spent is not asserted (a busy machine can stretch any bound); the answer is.
const HANG_MS = 30_000;
const PATH = '/v1/shelves';

/** Sends and reports the status, 0 when Node dropped the connection; a client timeout is a failure. */
async function statusOf(base: string, path: string, headers: Record<string, string>): Promise<number> {
  return send(base, path, { headers, timeoutMs: HANG_MS }).then(
    (r) => r.status,
    (e: Error) => {
      if (/timed out/.test(e.message)) throw e;
      return 0;
    },
  );
}

describe('tokens of 1 MB', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let small: TestApp;
  let large: TestApp;
  let good: string;
  let hugePayload: string;
  before(async () => {
    f = await fixture();
    small = await startApp(f.doc());
    large = await startApp(f.doc(), undefined, undefined, { maxHeaderSize: 4 * MB });
    good = await f.token();
    // Valid claims plus 1 MB of padding, with a signature that cannot match.
    const [h, p] = (await f.token({ pad: 'x'.repeat(MB) })).split('.');
    hugePayload = `${h}.${p}.c2lnbmF0dXJl`;
  });
  after(async () => {
    await small.close();
    await large.close();
    await f.server.stop();
  });

  it('default limit: a 1 MB Authorization header never reaches the app (431 or a dropped connection), and the app lives on', async () => {
    for (const headers of [bearer('A'.repeat(MB)), bearer(hugePayload)]) {
      const status = await statusOf(small.base, PATH, headers);
      assert.ok(status === 431 || status === 0, `status ${status}`);
    }
    assertReached(await small.send(PATH, { headers: bearer(good) }));
  });

  it('default limit: a 1 MB access_token in the query never reaches the app, and the app lives on', async () => {
    const status = await statusOf(small.base, `${PATH}?access_token=${'A'.repeat(MB)}`, {});
    assert.ok(status === 431 || status === 0, `status ${status}`);
    assertReached(await small.send(PATH, { headers: bearer(good) }));
  });

  const raised: [string, () => { path: string; headers: Record<string, string> }, string][] = [
    ['1 MB of one section', () => ({ path: PATH, headers: bearer('A'.repeat(MB)) }), 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['1 MB of dots', () => ({ path: PATH, headers: bearer('.'.repeat(MB)) }), 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections'],
    ['a 1 MB header section', () => ({ path: PATH, headers: bearer(`${'A'.repeat(MB)}.e30.c2ln`) }), 'Jwt header is an invalid JSON'],
    ['a 1 MB payload, signature forged', () => ({ path: PATH, headers: bearer(hugePayload) }), 'Jwt verification fails'],
    // protobuf's JSON reader (ESPv2's) stops at 100 levels of nesting.
    ['a payload nested 300 000 deep', () => ({ path: PATH, headers: bearer(`${b64('{"alg":"RS256"}')}.${b64(`{"a":${'['.repeat(300_000)}${']'.repeat(300_000)}}`)}.c2ln`) }), 'Jwt payload is an invalid JSON'],
    ['a 1 MB access_token', () => ({ path: `${PATH}?access_token=${hugePayload}`, headers: {} }), 'Jwt verification fails'],
  ];
  for (const [name, make, message] of raised) {
    it(`limit raised to 4 MB: ${name} -> 401 ${message}, no hang`, async () => {
      const { path, headers } = make();
      const r = await large.send(path, { headers, timeoutMs: HANG_MS });
      assertRefusal(r, large.base, path, 401, message);
    });
  }

  it('limit raised: 20 refused 1 MB tokens leave no lasting memory behind', async () => {
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 20; i++) {
      const r = await large.send(PATH, { headers: bearer(hugePayload) });
      assert.equal(r.status, 401);
    }
    const grown = (process.memoryUsage().rss - before) / MB;
    // Each request handles several copies of 1 MB; 20 of them kept would be well over 64 MB.
    assert.ok(grown < 64, `rss grew by ${grown.toFixed(1)} MB`);
  });
});
