import { after, before, describe, it } from 'node:test';
import { AUDIENCE, fixture, ISSUER } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { assertReached, assertRefusal, bearer } from '../helpers/refusal.js';
import { NOW_S, signSections } from '../helpers/tokens.js';

// jwt_verify_lib reads a token's header and payload with protobuf's JSON reader, which refuses more
// than JSON.parse does: a byte-order mark, numbers beyond the double range, lone surrogate escapes,
// more than 100 levels of nesting. Every token here is correctly signed; only its JSON is at stake.
const BAD_HEADER = 'Jwt header is an invalid JSON';
const BAD_PAYLOAD = 'Jwt payload is an invalid JSON';
const claims = `"iss":"${ISSUER}","aud":"${AUDIENCE}","exp":${NOW_S + 600}`;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const CASES: readonly [name: string, header: string | undefined, payload: string, refused?: string][] = [
  ['a byte-order mark before the header', '\ufeff{"alg":"RS256","kid":"KID"}', `{${claims}}`, BAD_HEADER],
  ['a number beyond the double range in the header', '{"alg":"RS256","kid":"KID","x":1e400}', `{${claims}}`, BAD_HEADER],
  ['a lone low surrogate escape in the header', '{"alg":"RS256","kid":"KID","x":"\\udc00"}', `{${claims}}`, BAD_HEADER],
  ['a byte-order mark before the payload', undefined, `\ufeff{${claims}}`, BAD_PAYLOAD],
  ['exp 1e400', undefined, `{"iss":"${ISSUER}","aud":"${AUDIENCE}","exp":1e400}`, BAD_PAYLOAD],
  ['-1e400 in a claim nobody checks', undefined, `{${claims},"x":-1e400}`, BAD_PAYLOAD],
  ['1e-400 (it reads as 0)', undefined, `{${claims},"x":1e-400}`],
  ['a lone high surrogate escape', undefined, `{${claims},"name":"\\ud800"}`, BAD_PAYLOAD],
  ['a lone surrogate escape in a member name', undefined, `{${claims},"\\ud800":1}`, BAD_PAYLOAD],
  ['an escaped surrogate pair', undefined, `{${claims},"name":"\\ud83d\\ude00"}`],
  ['the escaped pair of U+10FFFF, the one protobuf refuses', undefined, `{${claims},"name":"\\udbff\\uDFFF"}`, BAD_PAYLOAD],
  ['U+10FFFF written as UTF-8', undefined, `{${claims},"name":"\u{10FFFF}"}`],
  ['the text of that escape after escaped backslashes', undefined, `{${claims},"name":"\\\\udbff\\\\udfff"}`],
  ['the escaped pair of U+10FFFE', undefined, `{${claims},"name":"\\udbff\\udffe"}`],
  ['101 levels of nesting', undefined, `{${claims},"x":${nested(100)}}`, BAD_PAYLOAD],
  ['100 levels of nesting', undefined, `{${claims},"x":${nested(99)}}`],
];

describe("token sections as protobuf's JSON reader reads them", () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  before(async () => {
    f = await fixture();
    app = await startApp(f.doc());
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  for (const [name, header, payload, refused] of CASES) {
    it(`${name} -> ${refused ? `401 ${refused}` : 'passes'}`, async () => {
      const h = (header ?? '{"alg":"RS256","kid":"KID"}').replace('KID', f.key.kid);
      const r = await app.send('/v1/shelves', { headers: bearer(signSections(f.key, h, payload)) });
      if (refused) assertRefusal(r, app.base, '/v1/shelves', 401, refused);
      else assertReached(r);
    });
  }
});
