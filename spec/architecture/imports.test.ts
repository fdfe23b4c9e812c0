// Imports in lib/ flow one way: a file imports its own folder or a strictly lower layer, never a
// sibling of its own layer or anything above it. The order is written down here, once; a new folder
// fails this test until it is placed in it. lib/index.ts, the package's entry, sits on top of all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bottom to top. Folders in one layer may not import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['kernel'], // request view, maybe-async, config and logger types, auth info, Result: imports nothing of lib/
  ['json'], // JSON as ESPv2 reads it (protobuf's reader), for token sections and key documents
  ['failures'],
  ['errors'],
  ['openapi'],
  ['match'],
  ['requirements'],
  ['tokens'],
  ['keys'],
  ['verify'],
  ['dialects'], // the dialect and JWT-stage interfaces, and each flavour's folder (esp1/, espv2/)
  ['engine'],
  ['node-http'],
  ['fetch'],
  ['express'], // the Express object also answers Fetch requests
  ['serverless', 'nest', 'fastify', 'hono', 'koa'],
  ['explain', 'lint'],
  ['inspect'], // the token inspector's server, which answers from explain
  ['cli'],
];
/** Folders outside the order: they import nothing of lib/, and only the entry and the CLI import them. */
const STANDALONE = new Set(['dev-issuer']);
/** Flavour folders under dialects/ share the folder's interfaces, never each other's code. */
const FLAVOURS = new Set(['esp1', 'espv2']);

const lib = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'lib');
const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function* tsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

/** Every relative specifier a file imports or re-exports, static or dynamic. */
function relativeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm)) found.push(m[1]!);
  return found;
}

/** The path's folders under lib/: [] for a file at lib/'s top. */
const foldersOf = (file: string): string[] => relative(lib, file).split(sep).slice(0, -1);

/** Why `from` may not import `to`, or undefined when it may. */
function violation(from: string, to: string): string | undefined {
  const [src, ...srcRest] = foldersOf(from);
  const [dst, ...dstRest] = foldersOf(to);
  if (dst === undefined) return relative(lib, to) === 'index.ts' ? 'imports the package entry' : undefined;
  if (src === undefined) return undefined; // lib/index.ts: the entry sits above every layer
  if (src === dst) {
    const [a, b] = [srcRest[0], dstRest[0]];
    if (a !== b && a !== undefined && b !== undefined && FLAVOURS.has(a) && FLAVOURS.has(b)) return `flavour ${a} imports flavour ${b}`;
    return undefined;
  }
  if (STANDALONE.has(src)) return `${src} stands alone and imports nothing of lib/`;
  if (STANDALONE.has(dst)) return src === 'cli' ? undefined : `only the entry and the CLI import ${dst}`;
  const [s, d] = [layerOf.get(src), layerOf.get(dst)];
  if (s === undefined) return `folder ${src} is not placed in the layer order`;
  if (d === undefined) return `folder ${dst} is not placed in the layer order`;
  if (d === s) return `${src} and ${dst} are one layer and may not import each other`;
  if (d > s) return `${src} may not import ${dst}, a higher layer`;
  return undefined;
}

test('every import in lib/ points down the layer order', () => {
  const problems: string[] = [];
  let checked = 0;
  for (const file of tsFiles(lib)) {
    for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
      checked += 1;
      const target = join(dirname(file), specifier).replace(/\.js$/, '.ts');
      const why = violation(file, target);
      if (why) problems.push(`${relative(lib, file)} imports '${specifier}': ${why}`);
    }
  }
  assert.ok(checked > 100, `only ${checked} imports were read: the reader has stopped seeing them`);
  assert.deepEqual(problems, []);
});

test('the check sees what it claims to: an upward import, a sibling shell and an unplaced folder fail', () => {
  const at = (path: string) => join(lib, path);
  assert.match(violation(at('kernel/config.ts'), at('engine/create-engine.ts'))!, /higher layer/);
  assert.match(violation(at('nest/guard.ts'), at('serverless/x.ts'))!, /one layer/);
  assert.match(violation(at('newroom/x.ts'), at('kernel/config.ts'))!, /not placed/);
  assert.match(violation(at('dialects/esp1/x.ts'), at('dialects/espv2/y.ts'))!, /flavour/);
  assert.match(violation(at('dev-issuer/x.ts'), at('kernel/config.ts'))!, /stands alone/);
  assert.equal(violation(at('engine/create-engine.ts'), at('dialects/dialects.ts')), undefined);
  assert.equal(violation(at('dialects/esp1/x.ts'), at('dialects/dialect.ts')), undefined);
});
