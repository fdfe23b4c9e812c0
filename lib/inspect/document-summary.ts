import type { Compatibility } from '../kernel/config.js';
import { COMPATIBILITIES } from '../kernel/config.js';
import { createEngine } from '../engine/create-engine.js';
import { providersOf } from '../openapi/providers-of.js';

/** One operation as the page lists it; `value` is what the page sends back (`METHOD /path`). */
interface OperationChoice {
  readonly value: string;
  readonly id: string;
  /** `open`, or the security schemes whose tokens it accepts. */
  readonly requires: string;
}

/** What the page needs to know of the document before any token is pasted. */
export interface DocumentSummary {
  readonly title: string;
  readonly serviceName: string | null;
  readonly compatibility: Compatibility;
  readonly compatibilities: readonly Compatibility[];
  readonly operations: readonly OperationChoice[];
}

const noDownloads: typeof fetch = () => Promise.reject(new Error('the inspector reads the document only here'));

/**
 * Reads the document with the engine `explain` uses, so the page lists the operations the middleware
 * knows. Throws the engine's SpecError when the document cannot be enforced.
 */
export function summarizeDocument(spec: unknown, compatibility: Compatibility, serviceName: string | undefined): DocumentSummary {
  const engine = createEngine(spec, { compatibility, serviceName, apiKey: 'presence', fetch: noDownloads });
  engine.close();
  const info = (spec as { info?: { title?: unknown } }).info;
  return {
    title: typeof info?.title === 'string' ? info.title : 'OpenAPI document',
    serviceName: engine.model.serviceName ?? null,
    compatibility,
    compatibilities: COMPATIBILITIES,
    operations: engine.model.operations.map((op) => {
      const providers = providersOf(op).map((p) => p.name);
      const apiKey = op.alternatives.some((a) => a.apiKeys.length > 0);
      const requires = [...providers, ...(apiKey ? ['API key'] : [])].join(', ') || 'open';
      return { value: `${op.method} ${op.template}`, id: op.id, requires };
    }),
  };
}
