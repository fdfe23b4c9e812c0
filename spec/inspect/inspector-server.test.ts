import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import net from 'node:net';
import { explain } from '../../lib/explain/explain.js';
import { SpecError } from '../../lib/errors/spec-error.js';
import { startInspector, type Inspector } from '../../lib/inspect/start-inspector.js';
import { fixture } from '../helpers/fixture.js';
import { send } from '../helpers/http.js';

// The inspector's server over real HTTP: its answer is explain's report, and it serves this machine's
// browser only (loopback, its own Host and Origin, JSON of a bounded size, a strict CSP on everything).

const T = 1_800_000_000;
const now = () => T * 1000;

describe('the inspector server', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let inspector: Inspector;
  let host: string;
  before(async () => {
    f = await fixture();
    inspector = await startInspector({ spec: f.doc(), now });
    host = new URL(inspector.url).host;
  });
  after(async () => {
    await inspector.close();
    await f.server.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    send(inspector.url, '/api/inspect', { method: 'POST', headers: { host, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const question = (token: string, operation = 'GET /v1/shelves') => ({ token, operation, compatibility: 'espv2', offline: false });

  it("answers with explain's own report for the same token and operation, the token decoded, and its clock", async () => {
    const token = await f.token({ iat: T - 60, exp: T - 600 });
    const r = await post(question(`Bearer ${token}`));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.report, JSON.parse(JSON.stringify(await explain(f.doc(), { token, method: 'GET', path: '/v1/shelves', now }))));
    assert.equal(r.json.report.message, 'Jwt is expired');
    assert.equal(r.json.token.claims.exp, T - 600);
    assert.equal(r.json.token.header.alg, 'RS256');
    assert.equal(r.json.now, T);
  });

  it('"*" asks about every operation, as explain without a path does', async () => {
    const token = await f.token({ iat: T - 60, exp: T + 600 });
    const r = await post(question(token, '*'));
    assert.deepEqual(r.json.report, JSON.parse(JSON.stringify(await explain(f.doc(), { token, now }))));
    assert.equal(r.json.report.operations.length, 4);
  });

  it('lists the operations of the document as METHOD /path, with what each requires', async () => {
    const r = await send(inspector.url, '/api/document', { headers: { host } });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.json.operations.map((o: { value: string; requires: string }) => `${o.value}: ${o.requires}`),
      ['GET /v1/shelves: issuer', 'POST /v1/shelves: issuer', 'GET /v1/shelves/{shelf}: issuer', 'GET /v1/public: open'],
    );
    assert.equal(r.json.compatibility, 'espv2');
  });

  it('serves the page and its files with a Content-Security-Policy that allows this origin only', async () => {
    for (const path of ['/', '/inspector.js', '/inspector.css', '/favicon.svg', '/api/document', '/nope']) {
      const r = await send(inspector.url, path, { headers: { host } });
      assert.equal(r.status, path === '/nope' ? 404 : 200, path);
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /script-src 'self'/, path);
      assert.match(csp, /connect-src 'self'/, path);
      assert.doesNotMatch(csp, /unsafe|https?:|\*/, path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    }
    const page = await send(inspector.url, '/', { headers: { host } });
    assert.doesNotMatch(page.text, /(src|href)="(https?:)?\/\//, 'the page refers to nothing elsewhere');
  });

  it('serves only its own files: a path outside them is a 404', async () => {
    for (const path of ['/../package.json', '/inspector-page/index.html', '/%2e%2e/start-inspector.ts', '/index.html']) {
      assert.equal((await send(inspector.url, path, { headers: { host } })).status, 404, path);
    }
  });

  it("refuses a Host that is not this machine's (a DNS name rebound to 127.0.0.1), and accepts localhost", async () => {
    assert.equal((await send(inspector.url, '/', { headers: { host: 'attacker.example' } })).status, 421);
    assert.equal((await post(question('x'), { host: `attacker.example:${new URL(inspector.url).port}` })).status, 421);
    assert.equal((await send(inspector.url, '/', { headers: { host: `localhost:${new URL(inspector.url).port}` } })).status, 200);
  });

  it('refuses a post from another origin, or not as JSON', async () => {
    const foreign = await post(question('x'), { origin: 'https://attacker.example' });
    assert.equal(foreign.status, 403);
    assert.equal((await post(question('x'), { origin: `http://${host}` })).status, 200);
    assert.equal((await post(JSON.stringify(question('x')), { 'content-type': 'text/plain' })).status, 415);
  });

  it('answers a bad question with a 400 that says what is wrong, never a crash', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not JSON/],
      [[1, 2], /JSON object/],
      [{ ...question('x'), token: 7 }, /token must be a string/],
      [question('   '), /paste a token/],
      [question('x', 'GET /v1/elsewhere'), /operation must be one of/],
      [{ ...question('x'), compatibility: 'esp2' }, /compatibility must be one of espv2, esp, esp-1.32/],
      [{ ...question('x'), offline: 'yes' }, /offline must be true or false/],
    ];
    for (const [body, message] of cases) {
      const r = await post(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.json.error, message);
    }
  });

  it('refuses a body larger than 64 KiB, and the wrong methods', async () => {
    assert.equal((await post(question('a'.repeat(70 * 1024)))).status, 413);
    assert.equal((await send(inspector.url, '/api/inspect', { headers: { host } })).status, 405);
    assert.equal((await send(inspector.url, '/', { method: 'POST', headers: { host } })).status, 405);
  });

  it('listens on the loopback interface only', async (t) => {
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
    if (!external) return t.skip('this machine has no non-loopback IPv4 address to try');
    const port = Number(new URL(inspector.url).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: external.address, port }, () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });

  it("will not start on a document the middleware would refuse: the engine's SpecError", async () => {
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-issuer'] = 42;
    await assert.rejects(startInspector({ spec: doc }), SpecError);
  });
});
