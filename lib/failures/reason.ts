import { entryOf } from './catalogue.js';
import type { Failure } from './failure.js';

/**
 * The stable, public code of a failure (`EndpointsAuthError.reason`). Parse failures share
 * `bad_format`; the exact cause is in the message.
 */
export type Reason =
  | 'request_target_invalid'
  | 'operation_not_defined'
  | 'method_not_allowed'
  | 'cors_not_allowed'
  | 'jwt_missing'
  | 'bad_format'
  | 'issuer_not_configured'
  | 'jwt_not_yet_valid'
  | 'jwt_expired'
  | 'audience_not_allowed'
  | 'jwks_fetch_failed'
  | 'key_not_found'
  | 'verification_failed'
  | 'email_subject_mismatch'
  | 'insufficient_scope'
  | 'api_key_missing'
  | 'api_key_invalid'
  | 'internal_error';

/** The reason of a failure, as the catalogue declares it. */
export function reasonOf(failure: Failure): Reason {
  return entryOf(failure.kind).reason;
}
