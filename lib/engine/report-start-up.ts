import type { Logger } from '../kernel/config.js';
import { plural } from '../kernel/plural.js';
import type { SpecProblem } from '../errors/spec-error.js';
import type { Operation } from '../openapi/model.js';

/**
 * What the document's reading and `lint`'s checks of extensions and ESP features found, said at
 * start-up through the logger (warnings at `warn`, notes at `info`), then one line at `info` saying
 * what is guarded: a user sees at once whether the document meant is the one in force. `open`: an
 * operation a request with no credentials passes.
 */
export function reportStartUp(
  problems: readonly SpecProblem[],
  operations: readonly Operation[],
  open: (op: Operation) => boolean,
  providers: readonly string[],
  logger: Logger,
): void {
  for (const p of problems) {
    if (p.severity === 'warning') logger.warn?.(`espresso-jwt: ${p.path}: ${p.message}`);
    else if (p.severity === 'note') logger.info?.(`espresso-jwt: note: ${p.path}: ${p.message}`);
  }
  if (!logger.info) return;
  // An operation under several servers is one operation with several templates.
  const all = new Set(operations.map((op) => op.id));
  const opened = new Set(operations.filter(open).map((op) => op.id));
  logger.info(
    `espresso-jwt: ${plural(all.size, 'operation')} (${all.size - opened.size} guarded, ${opened.size} open), ` +
      `${plural(providers.length, 'provider')}${providers.length ? ` (${providers.join(', ')})` : ''}`,
  );
}
