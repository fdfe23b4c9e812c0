import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { endpointsAuth } from '../../lib/index.js';
import { bookstore, ISSUER } from '../helpers/fixture.js';
import { runCli } from './run-cli.js';

describe('espresso-jwt token', () => {
  let dir: string;
  let specFile: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'espresso-cli-'));
    specFile = path.join(dir, 'openapi.json');
    await writeFile(specFile, JSON.stringify(bookstore('http://127.0.0.1:9/unused')));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('prints a token the scheme accepts, verifiable with the key set it writes', async () => {
    const jwksFile = path.join(dir, 'jwks.json');
    const r = await runCli(['token', '--spec', specFile, '--claims', '{"sub":"alice"}', '--jwks-out', jwksFile]);
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout.trim();
    const keys = JSON.parse(await readFile(jwksFile, 'utf8'));
    const auth = endpointsAuth(bookstore('http://127.0.0.1:9/unused'), { keys: { [ISSUER]: keys } });
    try {
      const result = await auth.check({ method: 'GET', url: '/v1/shelves', headers: { authorization: `Bearer ${token}` } });
      assert.equal(result.ok, true, result.ok ? '' : result.error.message);
      if (result.ok) assert.equal(result.auth?.claims.sub, 'alice');
    } finally {
      auth.close();
    }
  });

  it('--key creates a key file once and reuses it', async () => {
    const keyFile = path.join(dir, 'dev-key.json');
    const first = await runCli(['token', '--spec', specFile, '--key', keyFile]);
    const second = await runCli(['token', '--spec', specFile, '--key', keyFile]);
    const kid = (t: string) => JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()).kid;
    assert.equal(first.code, 0, first.stderr);
    assert.equal(kid(first.stdout.trim()), kid(second.stdout.trim()));
    assert.equal(kid(first.stdout.trim()), JSON.parse(await readFile(keyFile, 'utf8')).kid);
  });

  it('without --key, --jwks-out or --serve, says that nothing can verify the token', async () => {
    const r = await runCli(['token', '--spec', specFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /the key that signed this token was not kept.*--key FILE.*--jwks-out FILE.*--serve/);
  });

  it('a document the middleware would refuse gets no token: exit 2, pointing at lint', async () => {
    const bad = path.join(dir, 'unenforceable.json');
    const doc = bookstore('http://127.0.0.1:9/unused') as { paths: Record<string, Record<string, unknown>> };
    doc.paths['/v1/broken'] = { get: { operationId: 'broken', security: [{ nope: [] }], responses: { 200: { description: 'ok' } } } };
    await writeFile(bad, JSON.stringify(doc));
    const r = await runCli(['token', '--spec', bad]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /nope[\s\S]*espresso-jwt lint --spec/);
  });

  it('--key naming a file that is not JSON is refused, naming the file', async () => {
    const keyFile = path.join(dir, 'notes.txt');
    await writeFile(keyFile, 'not a key');
    const r = await runCli(['token', '--spec', specFile, '--key', keyFile]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /notes\.txt is not JSON/);
  });

  it('--key naming a file without a private RSA JWK is refused with a message that says so', async () => {
    const keyFile = path.join(dir, 'oct.json');
    await writeFile(keyFile, JSON.stringify({ kty: 'oct', k: 'AAAA' }));
    const r = await runCli(['token', '--spec', specFile, '--key', keyFile]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /holds no private RSA JWK/);
  });

  it('usage errors exit 2 with the usage; --help exits 0', async () => {
    assert.equal((await runCli(['token', '--help'])).code, 0);
    const noSpec = await runCli(['token']);
    assert.equal(noSpec.code, 2);
    assert.match(noSpec.stderr, /--spec FILE is required/);
    const badScheme = await runCli(['token', '--spec', specFile, '--scheme', 'nope']);
    assert.equal(badScheme.code, 2);
    assert.match(badScheme.stderr, /no JWT security scheme "nope" \(it has: issuer\)/);
    assert.equal((await runCli(['frobnicate'])).code, 2);
    // A second --spec would silently replace the first: refused, for every command.
    for (const command of ['token', 'lint', 'routes', 'explain', 'inspect']) {
      const twice = await runCli([command, '--spec', specFile, `--spec=${specFile}`]);
      assert.equal(twice.code, 2, command);
      assert.match(twice.stderr, /--spec is given more than once/);
    }
  });
});
