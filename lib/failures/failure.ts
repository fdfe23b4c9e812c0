/**
 * Every way a request can be refused, as data. A check returns one of these; a dialect turns it into
 * ESP's status, message and body. Nothing here knows which ESP is being reproduced.
 */
export type TimeClaim = 'iat' | 'nbf' | 'exp';
export type StringClaim = 'iss' | 'sub' | 'jti';

export type Failure =
  // Finding the operation.
  | { kind: 'operation_not_defined' }
  | { kind: 'method_not_allowed'; template: string }
  | { kind: 'cors_not_allowed' }
  // Finding the token.
  | { kind: 'jwt_missing' }
  // Parsing it (ESPv2 / jwt_verify_lib order).
  | { kind: 'jwt_bad_format' }
  | { kind: 'header_bad_base64' }
  | { kind: 'header_bad_json' }
  | { kind: 'header_bad_alg' }
  | { kind: 'header_alg_not_supported' }
  | { kind: 'header_bad_kid' }
  | { kind: 'payload_bad_base64' }
  | { kind: 'payload_bad_json' }
  | { kind: 'claim_not_string'; claim: StringClaim }
  | { kind: 'claim_not_integer'; claim: TimeClaim }
  | { kind: 'claim_out_of_range'; claim: TimeClaim }
  | { kind: 'aud_bad_type' }
  | { kind: 'signature_bad_base64' }
  // Claims.
  | { kind: 'issuer_not_configured' }
  | { kind: 'not_yet_valid' }
  | { kind: 'expired' }
  | { kind: 'audience_not_allowed' }
  // Keys and signature.
  | { kind: 'jwks_fetch_failed'; detail: string }
  | { kind: 'key_not_found' }
  | { kind: 'verification_failed' }
  | { kind: 'ed25519_signature_length' }
  // Beyond the token.
  | { kind: 'insufficient_scope'; missing: readonly string[] }
  | { kind: 'api_key_missing' }
  | { kind: 'api_key_invalid' }
  // A fault inside the middleware itself: the request is refused, never let through.
  | { kind: 'internal_error'; detail: string };

export type FailureKind = Failure['kind'];

/** Failures of a single token against a single provider (what `verify/` can return). */
export type TokenFailure = Extract<
  Failure,
  {
    kind:
      | 'jwt_bad_format'
      | 'header_bad_base64'
      | 'header_bad_json'
      | 'header_bad_alg'
      | 'header_alg_not_supported'
      | 'header_bad_kid'
      | 'payload_bad_base64'
      | 'payload_bad_json'
      | 'claim_not_string'
      | 'claim_not_integer'
      | 'claim_out_of_range'
      | 'aud_bad_type'
      | 'signature_bad_base64'
      | 'issuer_not_configured'
      | 'not_yet_valid'
      | 'expired'
      | 'audience_not_allowed'
      | 'jwks_fetch_failed'
      | 'key_not_found'
      | 'verification_failed'
      | 'ed25519_signature_length'
      | 'internal_error';
  }
>;
