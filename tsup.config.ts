import { defineConfig } from 'tsup';

// ESM and CJS builds with type declarations for each. Dependencies stay external: jose is ESM-only,
// which CommonJS consumers load through Node's require(esm) (Node >= 20.19, see package.json engines).
// `nest` (espresso-jwt/nest) shares its chunks with `index`, so both entries hand out one
// EndpointsAuthError class. lib/nest applies Nest's decorators as calls, so esbuild needs no decorator
// support.
export default defineConfig({
  entry: { index: 'lib/index.ts', nest: 'lib/nest/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
});
