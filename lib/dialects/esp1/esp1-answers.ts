import type { EngineFailure, Esp1JwtFailure } from '../../failures/failure.js';

/** Every failure ESP v1 can answer with. */
export type Esp1Failure = Esp1JwtFailure | EngineFailure;

/** The two ESP v1 generations: its last release (v1.60) and the reason names of v1.32 and before. */
export type Esp1Generation = 'esp' | 'esp-1.32';

/** The gRPC codes ESP v1 answers with, and the HTTP status nginx sends for each. */
export const HTTP_STATUS_OF_CODE = { 3: 400, 5: 404, 7: 403, 16: 401 } as const;
export type GrpcCode = keyof typeof HTTP_STATUS_OF_CODE;

/** One answer: the code, the message, and the DebugInfo detail (the ESP step that refused). */
export interface Esp1Answer {
  readonly code: GrpcCode;
  readonly message: string;
  readonly detail: 'auth' | 'service_control';
}

/** A failure's answer in each generation; null where that generation never gives this failure. */
export type Esp1Row = { readonly [G in Esp1Generation]: Esp1Answer | null };

const PREFIX = 'JWT validation failed: ';

/** A refusal of check_auth.cc: `JWT validation failed: <reason>`, code 16 unless said otherwise. */
function jwt(v160: string | null, v132: string | null = v160, code: GrpcCode = 16): Esp1Row {
  const answer = (reason: string | null): Esp1Answer | null => (reason === null ? null : { code, message: PREFIX + reason, detail: 'auth' });
  return { esp: answer(v160), 'esp-1.32': answer(v132) };
}

/** A refusal of check_service_control.cc, the same in both generations. */
function service(code: GrpcCode, message: string): Esp1Row {
  const answer: Esp1Answer = { code, message, detail: 'service_control' };
  return { esp: answer, 'esp-1.32': answer };
}

/** nginx's fetch reports the HTTP status of an answer >= 300 (check_auth.cc FetchFailure). */
const fetched = (reason: string, httpStatus: number | undefined) => (httpStatus !== undefined && httpStatus >= 300 ? `${reason}. HTTP response code: ${httpStatus}` : reason);

const BAD_FORMAT = 'BAD_FORMAT';
const BAD_SIGNATURE = 'BAD_SIGNATURE';
const KEY_RETRIEVAL_ERROR = 'KEY_RETRIEVAL_ERROR';
const TIME = 'TIME_CONSTRAINT_FAILURE';

/**
 * ESP v1's answer to every failure, both generations side by side: the one place where ESP v1's
 * words live. v1.60 reads auth_jwt_validator.cc and check_auth.cc at tag v1.60.0; v1.32 the same
 * files at v1.32.0, where the validator still answered with gRPC's status names
 * (grpc_jwt_verifier_status_to_string; a subject refused by the e-mail issuer rule has no name there
 * and prints as UNKNOWN in both generations).
 */
export const ESP1_ANSWERS: { readonly [K in Esp1Failure['kind']]: (f: Extract<Esp1Failure, { kind: K }>) => Esp1Row } = {
  jwt_missing: () => jwt('Missing or invalid credentials'),
  jwt_bad_format: () => jwt('Bad JWT format: should have 2 dots', BAD_FORMAT),
  header_bad_base64: () => jwt('Bad JWT format: Invalid base64 in header', BAD_FORMAT),
  header_bad_json: () => jwt('Bad JWT format: Invalid JSON in header', BAD_FORMAT),
  header_bad_alg: () => jwt('Missing alg field.', BAD_FORMAT),
  header_alg_not_supported: () => jwt('Failed to allocate memory.', BAD_FORMAT),
  payload_bad_base64: () => jwt('Bad JWT format: Invalid base64 in claims', BAD_FORMAT),
  payload_bad_json: () => jwt('Bad JWT format: Invalid JSON in claims', BAD_FORMAT),
  claims_bad_type: () => jwt('Bad JWT format: invalid JWT claims; e.g. wrong data type, iss is not a string.', BAD_FORMAT),
  issuer_missing: () => jwt('Bad JWT format: invalid JWT claims; issuer is mssing but required.', BAD_FORMAT),
  not_yet_valid: () => jwt(TIME),
  expired: () => jwt(TIME),
  email_subject_mismatch: () => jwt('UNKNOWN'),
  signature_bad_base64: () => jwt('Bad JWT format: invalid base64 for signature', BAD_FORMAT),
  es256_signature_length: () => jwt('Bad JWT format: signature length is not correct', BAD_SIGNATURE),
  audience_missing: () => jwt('Bad JWT format: missing audience field.', BAD_FORMAT),
  subject_missing: () => jwt(null, BAD_FORMAT),
  issuer_not_configured: () => jwt('Issuer not allowed'),
  audience_not_allowed: () => jwt('Audience not allowed', 'Audience not allowed', 7),
  key_uri_unknown: () => jwt('Cannot determine the URI of the key'),
  discovery_fetch_failed: (f) => jwt(fetched('Unable to fetch URI of the key via OpenID discovery', f.httpStatus)),
  discovery_parse_failed: () => jwt('Unable to parse URI of the key via OpenID discovery'),
  key_fetch_failed: (f) => jwt(fetched('Unable to fetch verification key', f.httpStatus)),
  key_json_invalid: () => jwt('Invalid JSON for public key', KEY_RETRIEVAL_ERROR),
  jwks_keys_missing: () => jwt('Invalid public key: keys field is missing.', KEY_RETRIEVAL_ERROR),
  jwks_keys_not_list: () => jwt('Unexpected value type of keys property in jwks key set.', KEY_RETRIEVAL_ERROR),
  jwks_empty: () => jwt('The jwks key set is empty', KEY_RETRIEVAL_ERROR),
  kid_not_in_jwks: (f) => jwt(`Cannot find matching key in key set for kid=${f.kid}`, KEY_RETRIEVAL_ERROR),
  kid_not_in_x509: (f) => jwt(`Could not find matching key in public key set for kid=${f.kid}`, KEY_RETRIEVAL_ERROR),
  x509_extract_failed: (f) => jwt(`Failed to extract public key from X509 for kid=${f.kid}`, KEY_RETRIEVAL_ERROR),
  no_key_verifies: () => jwt('The JWT cannot be validated with any of the public keys.', BAD_SIGNATURE),
  verification_failed: () => jwt('JWT signature verification failed.', BAD_SIGNATURE),
  hs_key_bad_base64: () => jwt('Invalid base64 encoded HS symmetric key. Most likely JWT alg is HS, but public key is ES or RSA.', KEY_RETRIEVAL_ERROR),
  internal_error: () => jwt('Internal error'),
  // Ours: ESP v1 does not check scopes; the refusal takes the shape of its audience refusal.
  insufficient_scope: (f) => jwt(`Jwt is missing the scopes this operation requires: ${f.missing.join(' ')}`, undefined, 7),
  operation_not_defined: () => service(5, 'Method does not exist.'),
  method_not_allowed: () => service(5, 'Method does not exist.'),
  cors_not_allowed: () => service(7, 'The service does not allow CORS traffic.'),
  api_key_missing: () =>
    service(16, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."),
  api_key_invalid: () => service(3, 'API key not valid. Please pass a valid API key.'),
};

/** The row of one failure. */
export function esp1Row(f: Esp1Failure): Esp1Row {
  return (ESP1_ANSWERS[f.kind] as (f: Esp1Failure) => Esp1Row)(f);
}
