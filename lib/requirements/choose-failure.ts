import type { Failure } from '../failures/failure.js';

/**
 * ESPv2's choice among the failures of OR'ed providers (Envoy's "requires any"): the last failure
 * that is not "missing" or "unknown issuer", in requirement order; else "issuer not configured" if any
 * provider said so; else "missing". There is at least one failure: every provider tried gave one.
 */
export function chooseFailure<F extends Failure>(failures: readonly F[]): F {
  let real: F | undefined;
  let unknownIssuer: F | undefined;
  for (const f of failures) {
    if (f.kind === 'issuer_not_configured') unknownIssuer = f;
    else if (f.kind !== 'jwt_missing') real = f;
  }
  return real ?? unknownIssuer ?? failures[0]!;
}
