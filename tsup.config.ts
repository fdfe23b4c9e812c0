import { cp } from 'node:fs/promises';
import { defineConfig } from 'tsup';

/** The package's entries: the main one and each framework's (`espresso-jwt/nest`, `/fastify`, ...). */
const LIBRARY = { index: 'lib/index.ts', nest: 'lib/nest/index.ts', fastify: 'lib/fastify/index.ts', hono: 'lib/hono/index.ts', koa: 'lib/koa/index.ts' };

// ESM: the library entries and the CLI in one build, so the CLI imports the library's own chunks
// instead of carrying a second copy of the core. The framework entries share their chunks with
// `index` too, so every entry hands out one EndpointsAuthError class; lib/nest applies Nest's
// decorators as calls (esbuild needs no decorator support). The CLI is ESM only (top-level await)
// and keeps its shebang.
// CJS: the library entries again, for require(). Dependencies stay external: jose is ESM-only, which
// CommonJS consumers load through Node's require(esm) (Node >= 20.19, see engines).
// No source maps in the package; `npm run build -- --sourcemap` makes them for local debugging.
// Each build cleans only its own files, since both write to dist/ at once.
export default defineConfig([
  {
    entry: { ...LIBRARY, cli: 'lib/cli/bin.ts' },
    format: ['esm'],
    dts: { entry: LIBRARY },
    sourcemap: false,
    clean: ['**/*.js', '**/*.d.ts', '**/*.map'],
    target: 'node20',
    splitting: true,
    // The token inspector's page (plain HTML, CSS and JavaScript, copied as is): `inspect` reads it from
    // ./inspector-page/ beside its own module, which is lib/inspect/ from source and dist/ once built.
    onSuccess: () => cp('lib/inspect/inspector-page', 'dist/inspector-page', { recursive: true }),
  },
  {
    entry: LIBRARY,
    format: ['cjs'],
    dts: true,
    sourcemap: false,
    clean: ['**/*.cjs', '**/*.d.cts'],
    target: 'node20',
    splitting: true,
  },
]);
