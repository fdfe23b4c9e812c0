import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixture, SERVICE } from '../helpers/fixture.js';
import { makeKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { runCli } from './run-cli.js';

// explain, run as a user runs it, against a real key server: one case per kind of error, checking the
// verdict, the middleware's status and message, the failing check and that the fix names the field.
describe('espresso-jwt explain', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let dir: string;
  let specFile: string;
  before(async () => {
    f = await fixture();
    dir = await mkdtemp(path.join(os.tmpdir(), 'espresso-explain-'));
    specFile = path.join(dir, 'openapi.json');
    await writeFile(specFile, JSON.stringify(f.doc()));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await f.server.stop();
  });

  const explainJson = async (token: string, extra: string[] = []) => {
    const r = await runCli(['explain', '--spec', specFile, '--token', token, '--path', '/v1/shelves', '--json', ...extra]);
    return { code: r.code, report: JSON.parse(r.stdout || '{}'), stderr: r.stderr };
  };
  const lastStep = (report: { steps: { check: string; ok: boolean; detail: string }[] }) => report.steps.at(-1)!;

  it('a valid token: allow, exit 0, every check ok', async () => {
    const { code, report } = await explainJson(await f.token());
    assert.equal(code, 0);
    assert.equal(report.verdict, 'allow');
    assert.equal(report.operation, 'listShelves');
    assert.deepEqual(report.steps.map((s: { check: string }) => s.check), ['operation', 'token', 'parse', 'issuer', 'time', 'audience', 'keys', 'signature', 'scopes', 'api_key']);
    assert.ok(report.steps.every((s: { ok: boolean }) => s.ok));
  });

  const cases: [string, () => Promise<string>, number, string, string, RegExp][] = [
    ['wrong issuer', () => f.token({ iss: 'https://accounts.google.com' }), 401, 'Jwt issuer is not configured', 'issuer', /x-google-issuer[\s\S]*Cloud Run/],
    ['expired', () => f.token({ exp: NOW_S - 3600 }), 401, 'Jwt is expired', 'time', /"exp"/],
    ['not yet valid', () => f.token({ nbf: NOW_S + 3600 }), 401, 'Jwt not yet valid', 'time', /"nbf"/],
    ['wrong audience', () => f.token({ aud: `https://${SERVICE}` }), 403, 'Audiences in Jwt are not allowed', 'audience', /x-google-audiences[\s\S]*same securityDefinitions object/],
    ['iat of the wrong type', () => f.token({ iat: 'yesterday' }), 401, 'Jwt payload [iat] field is not an integer', 'parse', /"iat"/],
    ['unknown kid', async () => mint(await makeKey('RS256', { kid: 'stranger' }), { iss: 'https://issuer.test', aud: 'shelves-client' }), 401, "Jwks doesn't have key to match kid or alg from Jwt", 'signature', /kid/],
    ['not a JWT', async () => 'garbage', 401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections', 'parse', /three base64url sections/],
  ];
  for (const [name, make, status, message, check, fix] of cases) {
    it(`${name}: deny with the middleware's answer, the ${check} check failing, and the fix`, async () => {
      const { code, report } = await explainJson(await make());
      assert.equal(code, 1);
      assert.equal(report.verdict, 'deny');
      assert.equal(report.status, status);
      assert.equal(report.message, message);
      assert.equal(lastStep(report).check, check);
      assert.equal(lastStep(report).ok, false);
      assert.match(report.hint, fix);
    });
  }

  it('the issuer check names both sides', async () => {
    const { report } = await explainJson(await f.token({ iss: 'https://elsewhere.test' }));
    assert.match(lastStep(report).detail, /token iss "https:\/\/elsewhere\.test"; the operation accepts "https:\/\/issuer\.test" \(scheme issuer\)/);
  });

  it('a key download error: deny, and the detail says why', async () => {
    const doc = f.doc();
    doc.securityDefinitions.issuer['x-google-jwks_uri'] = f.server.serve('/broken', 'nope', { status: 503 });
    const file = path.join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(doc));
    const r = await runCli(['explain', '--spec', file, '--token', await f.token(), '--path', '/v1/shelves', '--json']);
    const report = JSON.parse(r.stdout);
    assert.equal(r.code, 1);
    assert.equal(report.message, 'Jwks remote fetch is failed');
    assert.equal(lastStep(report).check, 'keys');
    assert.match(lastStep(report).detail, /HTTP 503/);
    const offline = await runCli(['explain', '--spec', file, '--token', await f.token(), '--path', '/v1/shelves', '--offline', '--json']);
    assert.equal(offline.code, 3, 'offline skips keys and signature, and says so with its own exit code');
    assert.equal(JSON.parse(offline.stdout).offline, true);
  });

  it('ESP v1.32 compatibility gives the guide reason names', async () => {
    const { report } = await explainJson(await f.token({ exp: NOW_S - 3600 }), ['--compatibility', 'esp-1.32']);
    assert.equal(report.message, 'JWT validation failed: TIME_CONSTRAINT_FAILURE');
    assert.equal(lastStep(report).check, 'time');
  });

  it('without --path every operation is tried; the token read from standard input', async () => {
    const r = await runCli(['explain', '--spec', specFile, '--token', '-', '--json'], `${await f.token()}\n`);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.operations.map((o: { operation: string; verdict: string }) => `${o.operation}:${o.verdict}`).sort(),
      ['createShelf:allow', 'getShelf:allow', 'listShelves:allow', 'publicInfo:allow'],
    );
  });

  it('without --path a refused token is refused, although an open operation lets any token through', async () => {
    for (const token of ['not-a-jwt', await f.token({ aud: 'other' })]) {
      const r = await runCli(['explain', '--spec', specFile, '--token', token, '--json']);
      assert.equal(r.code, 1, r.stdout);
      const report = JSON.parse(r.stdout);
      assert.equal(report.verdict, 'deny');
      assert.notEqual(report.operation, 'publicInfo');
      assert.ok(report.operations.some((o: { operation: string; verdict: string }) => o.operation === 'publicInfo' && o.verdict === 'allow'));
    }
  });

  it('--offline on an operation that needs no token: allowed whole, exit 0, nothing said to be skipped', async () => {
    const r = await runCli(['explain', '--spec', specFile, '--token', 'not-a-jwt', '--path', '/v1/public', '--offline', '--json']);
    assert.equal(r.code, 0, r.stdout);
    const report = JSON.parse(r.stdout);
    assert.equal(report.offline, false);
    assert.equal(report.message, 'allowed: the operation needs no token');
    const text = await runCli(['explain', '--spec', specFile, '--token', 'not-a-jwt', '--path', '/v1/public', '--offline']);
    assert.match(text.stdout, /^Verdict: allow: the operation needs no token$/m);
  });

  it('--offline runs the checks after the signature as the middleware does: a missing scope or API key is refused', async () => {
    const doc = f.doc() as { paths: Record<string, unknown>; securityDefinitions: Record<string, unknown> };
    doc.securityDefinitions.key = { type: 'apiKey', in: 'query', name: 'key' };
    doc.paths['/v1/scoped'] = { post: { operationId: 'scoped', security: [{ issuer: ['write'] }], responses: { 200: { description: 'ok' } } } };
    doc.paths['/v1/keyed'] = { get: { operationId: 'keyed', security: [{ issuer: [], key: [] }], responses: { 200: { description: 'ok' } } } };
    const file = path.join(dir, 'offline-scopes.json');
    await writeFile(file, JSON.stringify(doc));
    const run = async (token: string, args: string[]) => {
      const r = await runCli(['explain', '--spec', file, '--token', token, '--offline', '--json', ...args]);
      return { code: r.code, report: JSON.parse(r.stdout || '{}') };
    };
    const jwksPath = new URL(f.jwksUri).pathname;
    const downloadsBefore = f.server.hits.get(jwksPath) ?? 0;
    const reader = await run(await f.token({ scope: 'read' }), ['--method', 'POST', '--path', '/v1/scoped']);
    assert.equal(reader.code, 1);
    assert.equal(reader.report.status, 403);
    assert.equal(lastStep(reader.report).check, 'scopes');
    const writer = await run(await f.token({ scope: 'read write' }), ['--method', 'POST', '--path', '/v1/scoped']);
    assert.equal(writer.code, 3, 'every check but the signature passes');
    assert.equal(writer.report.offline, true);
    const keyless = await run(await f.token(), ['--path', '/v1/keyed']);
    assert.equal(keyless.code, 1);
    assert.equal(lastStep(keyless.report).check, 'api_key');
    assert.equal(f.server.hits.get(jwksPath) ?? 0, downloadsBefore, 'offline downloads nothing');
  });

  it('the human output shows each check and the fix', async () => {
    const r = await runCli(['explain', '--spec', specFile, '--token', await f.token({ aud: 'other' }), '--path', '/v1/shelves']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^GET \/v1\/shelves -> operation listShelves$/m);
    assert.match(r.stdout, /^ {2}FAIL audience {2}token aud "other"/m);
    assert.match(r.stdout, /^Verdict: deny: 403 Audiences in Jwt are not allowed \(audience_not_allowed\)$/m);
    assert.match(r.stdout, /^Fix: /m);
  });

  it('usage and document errors exit 2', async () => {
    assert.equal((await runCli(['explain', '--spec', specFile])).code, 2);
    const relative = await runCli(['explain', '--spec', specFile, '--token', 'a.b.c', '--path', 'v1/shelves']);
    assert.equal(relative.code, 2);
    assert.match(relative.stderr, /did you mean \/v1\/shelves\?/);
    const url = await runCli(['explain', '--spec', specFile, '--token', 'a.b.c', '--path', 'https://api.example.com/v1/shelves']);
    assert.equal(url.code, 2);
    assert.match(url.stderr, /did you mean the path of the URL, without scheme and host\?/);
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ swagger: '2.0', paths: { '/x': { get: { security: [{ nope: [] }] } } } }));
    const r = await runCli(['explain', '--spec', bad, '--token', 'a.b.c']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope[\s\S]*espresso-jwt lint --spec .* lists every problem/);
  });
});
