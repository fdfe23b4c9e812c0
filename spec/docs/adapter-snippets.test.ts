import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The snippets of docs/adapters.md are files under docs/examples that tsc checks (the Register one in a
// program of its own, see spec/types): each `<!-- snippet: PATH -->` block must be that file, as is.
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const doc = readFileSync(`${DOCS}adapters.md`, 'utf8');
const blocks = [...doc.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => ({ path: m[1]!, text: m[2]! }));

it('every snippet block of docs/adapters.md is the compiled file it names', () => {
  assert.ok(blocks.length >= 7);
  for (const { path, text } of blocks) assert.equal(text, readFileSync(`${DOCS}${path}`, 'utf8'), path);
});

it('every file of docs/examples/snippets is shown in docs/adapters.md', () => {
  const shown = new Set(blocks.map((b) => b.path));
  for (const file of readdirSync(`${DOCS}examples/snippets`).filter((f) => f.endsWith('.ts'))) {
    assert.ok(shown.has(`examples/snippets/${file}`), file);
  }
});
