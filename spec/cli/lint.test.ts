import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bookstore } from '../helpers/fixture.js';
import { runCli } from './run-cli.js';

describe('espresso-jwt lint', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'espresso-lint-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));
  const write = async (name: string, doc: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(doc));
    return file;
  };

  it('a clean document: exit 0', async () => {
    const r = await runCli(['lint', '--spec', await write('ok.json', bookstore('https://keys.example/jwks'))]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^0 errors, /m);
  });

  it('errors: exit 1, each with its JSON path; --json gives the documented shape', async () => {
    const doc = bookstore('https://keys.example/jwks');
    doc.securityDefinitions.audOnly = { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-audiences': 'a' };
    doc.paths['/v1/shelves'].get.security = [{ nobody: [] }];
    const file = await write('bad.json', doc);
    const text = await runCli(['lint', '--spec', file]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^error {3}\$\.paths\["\/v1\/shelves"\]\.get\.security\[0\]\.nobody: /m);
    const json = await runCli(['lint', '--spec', file, '--json']);
    assert.equal(json.code, 1);
    const result = JSON.parse(json.stdout);
    assert.ok(Array.isArray(result.problems));
    for (const p of result.problems) {
      assert.deepEqual(Object.keys(p).sort(), ['message', 'path', 'severity']);
      assert.ok(['error', 'warning', 'note'].includes(p.severity));
    }
    assert.ok(result.problems.some((p: { path: string; severity: string }) => p.path === '$.securityDefinitions.audOnly' && p.severity === 'error'));
  });

  it('a missing file is a usage error: exit 2', async () => {
    const r = await runCli(['lint', '--spec', path.join(dir, 'none.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read/);
  });
});
