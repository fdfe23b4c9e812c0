import type { Logger } from '../kernel/config.js';
import type { SpecProblem } from '../errors/spec-error.js';
import { plural } from '../kernel/plural.js';
import type { RouteRow } from './list-routes.js';

/**
 * What `lint` would say, said at start-up through the logger (warnings at `warn`, notes at `info`),
 * then one line at `info` saying what is guarded: a user sees at once whether the document they
 * meant is the one in force.
 */
export function reportStartUp(problems: readonly SpecProblem[], routes: () => readonly RouteRow[], providers: readonly string[], logger: Logger | undefined): void {
  if (!logger) return;
  for (const p of problems) {
    if (p.severity === 'warning') logger.warn?.(`espresso-jwt: ${p.path}: ${p.message}`);
    else if (p.severity === 'note') logger.info?.(`espresso-jwt: note: ${p.path}: ${p.message}`);
  }
  if (!logger.info) return;
  const open = new Set<string>();
  const all = new Set<string>();
  for (const r of routes()) {
    all.add(r.operationId);
    if (r.open) open.add(r.operationId);
  }
  logger.info(
    `espresso-jwt: ${plural(all.size, 'operation')} (${all.size - open.size} guarded, ${open.size} open), ` +
      `${plural(providers.length, 'provider')}${providers.length ? ` (${providers.join(', ')})` : ''}`,
  );
}
