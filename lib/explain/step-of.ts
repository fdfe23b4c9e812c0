import type { Compatibility } from '../kernel/config.js';
import type { FailureKind } from '../failures/failure.js';

/** The checks a verdict is explained by, named as the troubleshooting guide names them. */
export type CheckName = 'operation' | 'token' | 'parse' | 'issuer' | 'time' | 'audience' | 'keys' | 'signature' | 'scopes' | 'api_key' | 'internal';

/** Which check each failure belongs to. The mapped type keeps it complete as failures are added. */
export const STEP_OF: { readonly [K in FailureKind]: CheckName } = {
  operation_not_defined: 'operation',
  method_not_allowed: 'operation',
  cors_not_allowed: 'operation',
  jwt_missing: 'token',
  jwt_bad_format: 'parse',
  header_bad_base64: 'parse',
  header_bad_json: 'parse',
  header_bad_alg: 'parse',
  header_alg_not_supported: 'parse',
  header_bad_kid: 'parse',
  payload_bad_base64: 'parse',
  payload_bad_json: 'parse',
  claim_not_string: 'parse',
  claim_not_integer: 'parse',
  claim_out_of_range: 'parse',
  aud_bad_type: 'parse',
  claims_bad_type: 'parse',
  issuer_missing: 'parse',
  signature_bad_base64: 'parse',
  es256_signature_length: 'parse',
  audience_missing: 'parse',
  subject_missing: 'parse',
  email_subject_mismatch: 'parse',
  issuer_not_configured: 'issuer',
  not_yet_valid: 'time',
  expired: 'time',
  audience_not_allowed: 'audience',
  jwks_fetch_failed: 'keys',
  key_uri_unknown: 'keys',
  discovery_fetch_failed: 'keys',
  discovery_parse_failed: 'keys',
  key_fetch_failed: 'keys',
  key_json_invalid: 'keys',
  jwks_keys_missing: 'keys',
  jwks_keys_not_list: 'keys',
  jwks_empty: 'keys',
  key_not_found: 'signature',
  kid_not_in_jwks: 'signature',
  kid_not_in_x509: 'signature',
  x509_extract_failed: 'signature',
  no_key_verifies: 'signature',
  verification_failed: 'signature',
  ed25519_signature_length: 'signature',
  hs_key_bad_base64: 'signature',
  insufficient_scope: 'scopes',
  api_key_missing: 'api_key',
  api_key_invalid: 'api_key',
  internal_error: 'internal',
};

/**
 * The order in which each ESP runs the checks: ESPv2 checks time after the issuer; ESP v1 checks time
 * while parsing, before the issuer.
 */
export const STEP_ORDER: { readonly [C in Compatibility]: readonly CheckName[] } = {
  espv2: ['operation', 'token', 'parse', 'issuer', 'time', 'audience', 'keys', 'signature', 'scopes', 'api_key'],
  esp: ['operation', 'token', 'parse', 'time', 'issuer', 'audience', 'keys', 'signature', 'scopes', 'api_key'],
  'esp-1.32': ['operation', 'token', 'parse', 'time', 'issuer', 'audience', 'keys', 'signature', 'scopes', 'api_key'],
};
