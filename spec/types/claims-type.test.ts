import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// A Register declaration types claims for the whole program it is in, so docs/examples/claims is a
// program of its own (the main tsconfig leaves it out): compiled here, its @ts-expect-error lines
// included, which fail the build if the types let a wrong claim through.
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const PROJECT = fileURLToPath(new URL('../../docs/examples/claims/tsconfig.json', import.meta.url));

it('a Register declaration types auth in Express, Fastify, Hono, Koa and the Fetch handler', async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [TSC, '--noEmit', '-p', PROJECT], (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }),
    );
  });
  assert.equal(output, '');
  assert.equal(code, 0);
});
