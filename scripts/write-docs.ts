/** `npm run docs:compat`: writes the generated docs; spec/docs checks that the committed ones are current. */
import { readFileSync, writeFileSync } from 'node:fs';
import { API_DOC, renderApiReference } from './api-reference.js';
import { COMPATIBILITY_DOC, renderCompatibilityTable } from './esp-compatibility.js';
import { SECURITY_DOC, withDepartures } from './departures.js';
import { renderTroubleshooting, TROUBLESHOOTING_DOC } from './troubleshooting.js';

writeFileSync(COMPATIBILITY_DOC, renderCompatibilityTable());
writeFileSync(TROUBLESHOOTING_DOC, renderTroubleshooting());
writeFileSync(API_DOC, renderApiReference());
writeFileSync(SECURITY_DOC, withDepartures(readFileSync(SECURITY_DOC, 'utf8')));
console.log(`wrote ${COMPATIBILITY_DOC}, ${TROUBLESHOOTING_DOC}, ${API_DOC} and the departures table of ${SECURITY_DOC}`);
