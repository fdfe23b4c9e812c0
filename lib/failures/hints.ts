import { entryOf } from './catalogue.js';
import type { Failure } from './failure.js';

/**
 * What to check for a failure: the troubleshooting guide, read from the catalogue. The middleware's
 * `hint`, the logger, the CLI and docs/troubleshooting.md all give this.
 */
export function hintFor(failure: Failure): string {
  return entryOf(failure.kind).hint(failure);
}
