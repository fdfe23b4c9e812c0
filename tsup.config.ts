import { cp } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// The library: ESM and CJS with type declarations for each. Dependencies stay external: jose is
// ESM-only, which CommonJS consumers load through Node's require(esm) (Node >= 20.19, see engines).
// The framework entries (`nest`, `fastify`, `hono`, `koa`) share their chunks with `index`, so every
// entry hands out one EndpointsAuthError class; lib/nest applies Nest's decorators as calls (esbuild needs no decorator
// support). The CLI: ESM only (it uses top-level await), with its shebang.
export default defineConfig([
  {
    entry: { index: 'lib/index.ts', nest: 'lib/nest/index.ts', fastify: 'lib/fastify/index.ts', hono: 'lib/hono/index.ts', koa: 'lib/koa/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: true,
  },
  {
    entry: { cli: 'lib/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    target: 'node20',
    // The token inspector's page (plain HTML, CSS and JavaScript, copied as is): `inspect` reads it from
    // ./inspector-page/ beside its own module, which is lib/inspect/ from source and dist/ once built.
    onSuccess: () => cp('lib/inspect/inspector-page', 'dist/inspector-page', { recursive: true }),
  },
]);
