// Start-up cost of endpointsAuth(document): reading the document into providers and operations,
// validating it and compiling every operation (no key download happens at start-up).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { endpointsAuth } from '../../lib/index.js';
// @ts-expect-error plain JavaScript shared with the contenders
import { benchDocument } from './document.mjs';

/** GitHub's published OpenAPI description (860 operations), where the project's checkout has it beside the package. */
const GITHUB_DOCUMENT =
  process.env.BENCH_GITHUB_DOCUMENT ?? fileURLToPath(new URL('../../../shared/openapi-corpus/octokit-openapi__cache__api.github.com.json', import.meta.url));

export interface Startup {
  readonly document: string;
  readonly operations: number;
  readonly medianMs: number;
}

/** Median of `runs` start-ups on one parsed document (the document is parsed once, outside the timing). */
function time(doc: unknown, runs: number): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    endpointsAuth(doc).close();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
}

/**
 * The 1,000-operation bench document, and GitHub's description (skipped when the file is absent) with
 * one JWT provider guarding every operation, added in memory: it has none of its own.
 */
export function measureStartup(runs: number): Startup[] {
  const out: Startup[] = [{ document: '1,000 generated operations', operations: 1000, medianMs: time(benchDocument(1000, 'https://issuer.bench.test', 'https://issuer.bench.test/jwks', 'bench'), runs) }];
  if (!fs.existsSync(GITHUB_DOCUMENT)) return out;
  const doc = JSON.parse(fs.readFileSync(GITHUB_DOCUMENT, 'utf8'));
  doc.components.securitySchemes = {
    ...doc.components.securitySchemes,
    bench_jwt: { type: 'oauth2', flows: {}, 'x-google-auth': { issuer: 'https://issuer.bench.test', jwksUri: 'https://issuer.bench.test/jwks', audiences: ['bench'] } },
  };
  doc.security = [{ bench_jwt: [] }];
  const probe = endpointsAuth(doc);
  const operations = probe.engine.model.operations.length;
  probe.close();
  out.push({ document: "GitHub's published OpenAPI description", operations, medianMs: time(doc, runs) });
  return out;
}
