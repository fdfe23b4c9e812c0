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
  | 'email_subject_mismatch'
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
    case 'email_subject_mismatch':
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
    case 'es256_signature_length':
    case 'no_key_verifies':
      return 'verification_failed';
    case 'kid_not_in_jwks':
    case 'kid_not_in_x509':
    case 'x509_extract_failed':
      return 'key_not_found';
    case 'key_uri_unknown':
    case 'discovery_fetch_failed':
    case 'discovery_parse_failed':
    case 'key_fetch_failed':
    case 'key_json_invalid':
    case 'jwks_keys_missing':
    case 'jwks_keys_not_list':
    case 'jwks_empty':
    case 'hs_key_bad_base64':
      return 'jwks_fetch_failed';
    case 'jwt_bad_format':
    case 'header_bad_base64':
    case 'header_bad_json':
    case 'header_bad_alg':
    case 'header_alg_not_supported':
    case 'header_bad_kid':
    case 'payload_bad_base64':
    case 'payload_bad_json':
    case 'claim_not_string':
    case 'claim_not_integer':
    case 'claim_out_of_range':
    case 'aud_bad_type':
    case 'signature_bad_base64':
    case 'claims_bad_type':
    case 'issuer_missing':
    case 'audience_missing':
    case 'subject_missing':
      return 'bad_format';
  }
}
