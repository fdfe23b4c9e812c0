/**
 * Every way a request can be refused, as data. A check returns one of these; a dialect turns it into
 * ESP's status, message and body. Nothing here knows which ESP is being reproduced; what each ESP
 * answers is in the catalogue, and the subsets below are read from it.
 */
import type { CATALOGUE } from './catalogue.js';

export type TimeClaim = 'iat' | 'nbf' | 'exp';
type StringClaim = 'iss' | 'sub' | 'jti';

export type Failure =
  // Finding the operation.
  | { kind: 'request_target_invalid' }
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
  // ESP v1 only (auth_jwt_validator.cc, check_auth.cc, gRPC's jwt_verifier.cc).
  | { kind: 'claims_bad_type' }
  | { kind: 'issuer_missing' }
  | { kind: 'email_subject_mismatch' }
  | { kind: 'es256_signature_length' }
  | { kind: 'audience_missing' }
  | { kind: 'subject_missing' }
  | { kind: 'key_uri_unknown' }
  /** `httpStatus` when the server answered with something else than 200; `detail` for the logger. */
  | { kind: 'discovery_fetch_failed'; httpStatus: number | undefined; detail: string }
  | { kind: 'discovery_parse_failed' }
  | { kind: 'key_fetch_failed'; httpStatus: number | undefined; detail: string }
  | { kind: 'key_json_invalid' }
  | { kind: 'jwks_keys_missing' }
  | { kind: 'jwks_keys_not_list' }
  | { kind: 'jwks_empty' }
  | { kind: 'kid_not_in_jwks'; kid: string }
  | { kind: 'kid_not_in_x509'; kid: string }
  | { kind: 'x509_extract_failed'; kid: string }
  | { kind: 'no_key_verifies' }
  | { kind: 'hs_key_bad_base64' }
  // Beyond the token.
  | { kind: 'insufficient_scope'; missing: readonly string[] }
  | { kind: 'api_key_missing' }
  | { kind: 'api_key_invalid' }
  // A fault inside the middleware itself: the request is refused, never let through.
  | { kind: 'internal_error'; detail: string };

export type FailureKind = Failure['kind'];

type Catalogue = typeof CATALOGUE;
/** The kinds whose catalogue entry has the shape `P`. */
type KindsWhere<P> = { [K in FailureKind]: Catalogue[K] extends P ? K : never }[FailureKind];
type JwtStageKinds = KindsWhere<{ readonly decidedBy: 'jwt-stage' | 'either' }>;

/** Failures decided before or after the JWT stage, by every dialect: routing, API keys, scopes, faults. */
export type EngineFailure = Extract<Failure, { kind: KindsWhere<{ readonly decidedBy: 'engine' | 'either' }> }>;

/** What ESPv2's JWT stage can answer: a token failure, or no token at all. */
export type Espv2JwtFailure = Extract<Failure, { kind: Extract<JwtStageKinds, KindsWhere<{ readonly espv2: object }>> }>;

/** Failures of a single token against a single provider in ESPv2's order (what `verify/` can return). */
export type TokenFailure = Exclude<Espv2JwtFailure, { kind: 'jwt_missing' }>;

/**
 * What ESP v1's JWT stage can answer (both generations). Kinds shared with ESPv2 mean the same
 * condition; ESP v1 words them its own way.
 */
export type Esp1JwtFailure = Extract<Failure, { kind: Extract<JwtStageKinds, KindsWhere<{ readonly esp1: Function }>> }>;
