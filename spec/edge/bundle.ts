import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'tsup';

/**
 * Bundles `entry` the way a Workers or Edge bundler does: everything inlined, browser-like platform
 * and conditions, no Node built-in resolvable. A `node:` import anywhere in the graph fails the build,
 * which is the first thing these tests hold. `define` replaces identifiers with JSON values.
 */
export async function bundleForEdge(entry: string, format: 'esm' | 'iife', define: Record<string, unknown> = {}): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'espresso-edge-'));
  try {
    await build({
      entry: { worker: entry },
      format: [format],
      globalName: format === 'iife' ? 'edgeEntry' : undefined,
      platform: 'browser',
      target: 'es2022',
      noExternal: [/./],
      outDir,
      config: false,
      dts: false,
      sourcemap: false,
      splitting: false,
      silent: true,
      define: Object.fromEntries(Object.entries(define).map(([k, v]) => [k, JSON.stringify(v)])),
      esbuildOptions(options) {
        options.conditions = ['workerd', 'worker', 'edge-light', 'browser'];
      },
    });
    return await readFile(path.join(outDir, format === 'iife' ? 'worker.global.js' : 'worker.js'), 'utf8');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
