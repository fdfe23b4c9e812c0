/** `npm run docs:compat`: writes the generated docs; spec/docs checks that the committed ones are current. */
import { writeFileSync } from 'node:fs';
import { API_DOC, renderApiReference } from './api-reference.js';
import { COMPATIBILITY_DOC, renderCompatibilityTable } from './esp-compatibility.js';
import { renderTroubleshooting, TROUBLESHOOTING_DOC } from './troubleshooting.js';

writeFileSync(COMPATIBILITY_DOC, renderCompatibilityTable());
writeFileSync(TROUBLESHOOTING_DOC, renderTroubleshooting());
writeFileSync(API_DOC, renderApiReference());
console.log(`wrote ${COMPATIBILITY_DOC}, ${TROUBLESHOOTING_DOC} and ${API_DOC}`);
