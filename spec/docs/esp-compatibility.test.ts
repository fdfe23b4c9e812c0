import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMPATIBILITY_DOC, renderCompatibilityTable } from '../../scripts/esp-compatibility.js';

it('docs/esp-compatibility.md is what the dialects answer (run npm run docs:compat after a change)', () => {
  assert.equal(readFileSync(COMPATIBILITY_DOC, 'utf8'), renderCompatibilityTable());
});
