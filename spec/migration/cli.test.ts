import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRoutes } from '../../lib/index.js';
import { fixture } from '../helpers/fixture.js';
import { makeKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { runCli } from '../cli/run-cli.js';

const BIN = fileURLToPath(new URL('../../lib/cli/bin.ts', import.meta.url));

describe('the CLI a migrating user runs', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let dir: string;
  let specFile: string;
  before(async () => {
    f = await fixture();
    dir = await mkdtemp(path.join(os.tmpdir(), 'espresso-migration-cli-'));
    specFile = path.join(dir, 'openapi.json');
    await writeFile(specFile, JSON.stringify(f.doc()));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await f.server.stop();
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const r = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
  });

  it('a reader that hangs up early (| head -1) ends the command quietly, with no stack', async () => {
    // Enough output to outlast the pipe: one warning per misplaced extension.
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) paths[`/p${i}`] = { get: { operationId: `op${i}`, 'x-google-audiences': 'a', responses: { 200: { description: 'ok' } } } };
    const file = path.join(dir, 'many.json');
    await writeFile(file, JSON.stringify({ swagger: '2.0', info: { title: 't', version: '1' }, host: 'h.example', paths }));
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'lint', '--spec', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('a JSON syntax error is reported as JSON, with line and column, and without the usage', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{\n  "swagger": "2.0",\n  "paths": {,}\n}\n');
    for (const command of ['lint', 'routes']) {
      const r = await runCli([command, '--spec', file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /broken\.json is not valid JSON: .*line 3 column 13/);
      assert.doesNotMatch(r.stderr, /YAML|Usage|--spec FILE/i);
    }
  });

  it('a missing file says so, without the usage', async () => {
    const r = await runCli(['routes', '--spec', path.join(dir, 'none.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read .*none\.yaml: ENOENT/);
    assert.doesNotMatch(r.stderr, /--spec FILE/);
  });

  it('a usage error still shows the usage', async () => {
    const r = await runCli(['routes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--spec FILE is required\n\nespresso-jwt routes --spec FILE/);
  });

  it('lint counts in words: "1 note", "0 errors"', async () => {
    const doc = f.doc();
    doc.paths['/v1/shelves'].get.security = [{ issuer: ['read'] }];
    const file = path.join(dir, 'scoped.json');
    await writeFile(file, JSON.stringify(doc));
    const r = await runCli(['lint', '--spec', file]);
    assert.match(r.stdout, /^0 errors, 0 warnings, 1 note$/m);
  });

  it('routes: every operation with method, template and what it requires; --json is listRoutes', async () => {
    const doc = f.doc();
    doc.securityDefinitions.api_key = { type: 'apiKey', in: 'header', name: 'x-api-key' };
    doc.paths['/v1/shelves'].post.security = [{ issuer: ['shelves.write'], api_key: [] }];
    doc.paths['/v1/shelves/{shelf}'].get.security = [{}, { issuer: [] }];
    const file = path.join(dir, 'routes.json');
    await writeFile(file, JSON.stringify(doc));
    const text = await runCli(['routes', '--spec', file]);
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(text.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/)), [
      ['GET', '/v1/shelves', 'listShelves', 'issuer (aud shelves-client)'],
      ['POST', '/v1/shelves', 'createShelf', 'issuer (aud shelves-client; scopes shelves.write) and API key api_key'],
      ['GET', '/v1/shelves/{shelf}', 'getShelf', 'open (a token sent anyway must be valid: issuer (aud shelves-client))'],
      ['GET', '/v1/public', 'publicInfo', 'open'],
    ]);
    const json = await runCli(['routes', '--spec', file, '--json']);
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), { routes: listRoutes(doc) });
    const [list, create] = listRoutes(doc);
    assert.deepEqual(list, {
      operationId: 'listShelves', method: 'GET', path: '/v1/shelves', open: false,
      requires: [{ providers: [{ name: 'issuer', issuer: 'https://issuer.test', audiences: ['shelves-client'], scopes: [] }], apiKeys: [] }],
    });
    assert.deepEqual(create!.requires[0]!.apiKeys, ['api_key']);
    // No x-google-audiences: the audience is https://<service name>, as enforced.
    const bare = f.doc();
    delete bare.securityDefinitions.issuer['x-google-audiences'];
    assert.deepEqual(listRoutes(bare)[0]!.requires[0]!.providers[0]!.audiences, ['https://shelves.endpoints.test.cloud.goog']);
  });

  describe('explain', () => {
    it('shows the claims with their values, shortened', async () => {
      const long = 'x'.repeat(200);
      const r = await runCli(['explain', '--spec', specFile, '--token', await f.token({ email: 'a@example.com', note: long }), '--path', '/v1/shelves']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /claims \{"iss": "https:\/\/issuer\.test", "sub": "user-1", "aud": "shelves-client", .*"email": "a@example\.com", "note": "x{57}…"\}/);
      assert.ok(!r.stdout.includes(long));
    });

    it('an unknown kid: the key ids the key set has', async () => {
      const stranger = await makeKey('RS256', { kid: 'rotated-away' });
      const token = await mint(stranger, { iss: 'https://issuer.test', sub: 'u', aud: 'shelves-client', iat: NOW_S, exp: NOW_S + 600 });
      const r = await runCli(['explain', '--spec', specFile, '--token', token, '--path', '/v1/shelves', '--json']);
      assert.equal(r.code, 1);
      const report = JSON.parse(r.stdout);
      const last = report.steps.at(-1);
      assert.equal(last.check, 'signature');
      assert.ok(last.detail.includes(`${f.jwksUri} has kid "${f.key.kid}"`), last.detail);
    });

    it('--offline on a forged signature: no "allow", a plain "not checked", exit 3', async () => {
      const [h, p] = (await f.token()).split('.');
      const forged = `${h}.${p}.${'A'.repeat(342)}`;
      const r = await runCli(['explain', '--spec', specFile, '--token', forged, '--path', '/v1/shelves', '--offline']);
      assert.equal(r.code, 3);
      assert.doesNotMatch(r.stdout, /Verdict: allow/);
      assert.match(r.stdout, /^Verdict: signature NOT checked \(--offline\)/m);
      const online = await runCli(['explain', '--spec', specFile, '--token', forged, '--path', '/v1/shelves']);
      assert.equal(online.code, 1);
      assert.match(online.stdout, /Verdict: deny: 401 Jwt verification fails/);
    });
  });
});
