import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMPATIBILITY_DOC, renderCompatibilityTable } from '../../scripts/esp-compatibility.js';

it('docs/esp-compatibility.md is what the dialects answer (run npm run docs:compat after a change)', () => {
  assert.equal(readFileSync(COMPATIBILITY_DOC, 'utf8'), renderCompatibilityTable());
});

it('docs/troubleshooting.md is what the hints say (run npm run docs:compat after a change)', async () => {
  const { renderTroubleshooting, TROUBLESHOOTING_DOC } = await import('../../scripts/troubleshooting.js');
  assert.equal(readFileSync(TROUBLESHOOTING_DOC, 'utf8'), renderTroubleshooting());
});

it('docs/api.md is generated from the current types (run npm run docs:compat after a change)', async () => {
  const { renderApiReference, API_DOC } = await import('../../scripts/api-reference.js');
  assert.equal(readFileSync(API_DOC, 'utf8'), renderApiReference());
});

it('docs/security.md shows the departures from ESPv2 of scripts/departures.ts (run npm run docs:compat after a change)', async () => {
  const { SECURITY_DOC, withDepartures } = await import('../../scripts/departures.js');
  const doc = readFileSync(SECURITY_DOC, 'utf8');
  assert.equal(doc, withDepartures(doc));
});
