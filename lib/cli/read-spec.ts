import { loadOpenApi } from '../openapi/load-openapi.js';
import { UsageError } from './usage-error.js';
import { messageOf } from '../kernel/message-of.js';

/** Loads `--spec FILE`, turning a missing or unreadable file into a usage error (exit 2). */
export async function readSpec(file: string | undefined): Promise<Record<string, unknown>> {
  if (!file) throw new UsageError('--spec FILE is required');
  try {
    return await loadOpenApi(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${messageOf(e)}`);
  }
}
