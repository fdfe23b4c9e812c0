import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// A Register declaration types claims for the whole program it is in, so docs/examples/claims is a
// program of its own (the main tsconfig leaves it out): compiled here, its @ts-expect-error lines
// included, which fail the build if the types let a wrong claim through.
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const PROJECT = fileURLToPath(new URL('../../docs/examples/claims/tsconfig.json', import.meta.url));

it('a Register declaration types auth in Express, Fastify, Hono, Koa and the Fetch handler', async () => {
  // The example's own tsconfig, as a user compiles it, with the package's names pointed at this
  // checkout's sources (a user's come from node_modules).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'espresso-claims-'));
  const project = path.join(dir, 'tsconfig.json');
  const lib = fileURLToPath(new URL('../../lib/', import.meta.url));
  const paths = Object.fromEntries(
    ['', '/fastify', '/hono', '/koa', '/nest'].map((sub) => [`espresso-jwt${sub}`, [path.join(lib, sub === '' ? 'index.ts' : `${sub.slice(1)}/index.ts`)]]),
  );
  await writeFile(project, JSON.stringify({ extends: PROJECT, compilerOptions: { paths }, include: [path.join(path.dirname(PROJECT), '*.ts')] }));
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [TSC, '--noEmit', '-p', project], (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }),
    );
  });
  await rm(dir, { recursive: true, force: true });
  assert.equal(output, '');
  assert.equal(code, 0);
});
