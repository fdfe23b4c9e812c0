import { loadOpenApi } from '../openapi/load-openapi.js';
import { InputError, UsageError } from './usage-error.js';
import { messageOf } from '../kernel/message-of.js';

/** Loads `--spec FILE`; a missing, unreadable or unparsable file is an input error (exit 2, no usage). */
export async function readSpec(file: string | undefined): Promise<Record<string, unknown>> {
  if (!file) throw new UsageError('--spec FILE is required');
  try {
    return await loadOpenApi(file);
  } catch (e) {
    // A parse error names the file already; a file-system error gets it said.
    throw new InputError(e instanceof SyntaxError || e instanceof TypeError ? e.message.replace(/^espresso-jwt: /, '') : `cannot read ${file}: ${messageOf(e)}`);
  }
}
