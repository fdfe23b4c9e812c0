import type { Failure } from './failure.js';

/**
 * The stable, public code of a failure (`EndpointsAuthError.reason`). Parse failures share
 * `bad_format`; the exact cause is in the message.
 */
export type Reason =
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
  | 'insufficient_scope'
  | 'api_key_missing'
  | 'api_key_invalid'
  | 'internal_error';

export function reasonOf(failure: Failure): Reason {
  switch (failure.kind) {
    case 'operation_not_defined':
    case 'method_not_allowed':
    case 'cors_not_allowed':
    case 'jwt_missing':
    case 'issuer_not_configured':
    case 'audience_not_allowed':
    case 'jwks_fetch_failed':
    case 'key_not_found':
    case 'verification_failed':
    case 'insufficient_scope':
    case 'api_key_missing':
    case 'api_key_invalid':
    case 'internal_error':
      return failure.kind;
    case 'not_yet_valid':
      return 'jwt_not_yet_valid';
    case 'expired':
      return 'jwt_expired';
    case 'ed25519_signature_length':
      return 'verification_failed';
    default:
      return 'bad_format';
  }
}
