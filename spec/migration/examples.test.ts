import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The examples ship in the package and must run from it: they import the package by its name
// ('espresso-jwt', resolved to dist/ through its exports), never the sources, which are not shipped.
const examples = fileURLToPath(new URL('../../docs/examples/', import.meta.url));

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* files(join(dir, e.name));
    else if (e.name.endsWith('.ts')) yield join(dir, e.name);
  }
}

describe('docs/examples import the package as a user would', () => {
  it('no import leaves docs/examples; espresso-jwt is imported by name', () => {
    let byName = 0;
    for (const file of files(examples)) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/\bfrom\s*'([^']+)'/g)) {
        if (spec!.startsWith('espresso-jwt')) byName++;
        if (!spec!.startsWith('.')) continue;
        const target = relative(examples, join(file, '..', spec!));
        assert.ok(!target.startsWith('..'), `${relative(examples, file)} imports ${spec}, outside docs/examples`);
      }
    }
    assert.ok(byName >= 6, `only ${byName} imports of espresso-jwt by name`);
  });
});
