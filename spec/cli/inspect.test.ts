import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from '../helpers/fixture.js';
import { runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../lib/cli/bin.ts', import.meta.url));

// espresso-jwt inspect, run as a user runs it: it prints where the page is, serves it there, answers
// from explain, and stops cleanly on SIGTERM. The page itself is tested in spec/inspector.
describe('espresso-jwt inspect', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let dir: string;
  let specFile: string;
  before(async () => {
    f = await fixture();
    dir = await mkdtemp(path.join(os.tmpdir(), 'espresso-inspect-'));
    specFile = path.join(dir, 'openapi.json');
    await writeFile(specFile, JSON.stringify(f.doc()));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await f.server.stop();
  });

  it('prints "Inspector: http://127.0.0.1:PORT/", serves the page and answers there, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'inspect', '--spec', specFile, '--compatibility', 'esp'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /^Inspector: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`inspect exited (${code}) before printing its URL: ${out}`)));
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.match(await page.text(), /data-testid="token"/);
      const doc = await (await fetch(new URL('api/document', url))).json();
      assert.equal(doc.compatibility, 'esp', '--compatibility is the page\'s first choice');
      const answer = await fetch(new URL('api/inspect', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: await f.token(), operation: 'GET /v1/shelves', compatibility: 'espv2', offline: false }),
      });
      assert.equal((await answer.json()).report.verdict, 'allow');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a port in use, a bad port or compatibility, a document it cannot read: exit 2 with the reason', async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((busy.address() as AddressInfo).port);
      const inUse = await runCli(['inspect', '--spec', specFile, '--port', port]);
      assert.equal(inUse.code, 2);
      assert.match(inUse.stderr, new RegExp(`port ${port} is in use on 127\\.0\\.0\\.1`));
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
    const cases: [string[], RegExp][] = [
      [['--port', '80000'], /--port must be a port number/],
      [['--port', 'eight'], /--port must be a port number/],
      [['--compatibility', 'esp2'], /--compatibility must be one of espv2, esp, esp-1\.32/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['inspect', '--spec', specFile, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    const missing = await runCli(['inspect', '--spec', path.join(dir, 'absent.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read/);
    // A document it cannot enforce: the reason and where to look, not the usage (the command line was right).
    const unenforceable = path.join(dir, 'unenforceable.json');
    await writeFile(unenforceable, JSON.stringify({ swagger: '2.0', info: { title: 't', version: '1' }, paths: { '/x': { get: { security: [{ nope: [] }] } } } }));
    const bad = await runCli(['inspect', '--spec', unenforceable]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /nope[\s\S]*espresso-jwt lint --spec/);
    assert.doesNotMatch(bad.stderr, /--compatibility espv2\|esp/);
  });

  it('is listed in the help, and its --help says what it does', async () => {
    const help = await runCli(['--help']);
    assert.match(help.stdout, /espresso-jwt inspect --spec FILE \[--port N\] \[--compatibility/);
    const own = await runCli(['inspect', '--help']);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /Serves the token inspector on 127\.0\.0\.1/);
  });
});
