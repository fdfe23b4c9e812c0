import type { Operation, Provider } from './model.js';

/** The JWT providers an operation's requirement objects name, in order, once each. */
export function providersOf(op: Operation): Provider[] {
  const out: Provider[] = [];
  for (const alt of op.alternatives) for (const t of alt.jwt) if (!out.includes(t.provider)) out.push(t.provider);
  return out;
}
