import type { Failure, FailureKind } from './failure.js';
import type { Reason } from './reason.js';
import {
  BAD_FORMAT,
  BAD_SIGNATURE,
  KEY_RETRIEVAL_ERROR,
  TIME,
  esp1JwtAnswer as jwt,
  esp1ServiceAnswer as service,
  withFetchStatus as fetched,
  type Esp1Row,
} from './esp1-answer.js';

/**
 * Every failure kind, declared once with all that its consumers read (after jwt_verify_lib's
 * status.h and status.cc): the public reason, the troubleshooting hint, the check `explain` names,
 * who decides it, an example for the generated docs, and each ESP's answer. The mapped type below
 * holds the table complete: a kind added to `Failure` does not compile until its entry says all of
 * this, down to whether ESPv2 sends `WWW-Authenticate` with it.
 *
 * Sources of the words. ESPv2: jwt_verify_lib's status strings, Envoy's and ESPv2's own. ESP v1: v1.60
 * reads auth_jwt_validator.cc and check_auth.cc at tag v1.60.0; v1.32 the same files at v1.32.0,
 * where the validator still answered with gRPC's status names (grpc_jwt_verifier_status_to_string; a
 * subject refused by the e-mail issuer rule has no name there and prints as UNKNOWN in both
 * generations).
 */

/** The checks a verdict is explained by, named as the troubleshooting guide names them. */
export type CheckName = 'operation' | 'token' | 'parse' | 'issuer' | 'time' | 'audience' | 'keys' | 'signature' | 'scopes' | 'api_key' | 'internal';

/**
 * Who decides a failure: the engine (routing, API keys, scopes), a dialect's JWT stage, or either
 * (a fault). The failure subsets of failure.ts are read from this and from the ESP answers.
 */
type DecidedBy = 'engine' | 'jwt-stage' | 'either';

type Of<K extends FailureKind> = Extract<Failure, { kind: K }>;

/** ESPv2's answer: the status, the message of the JSON body, and whether the JWT filter answered (it adds `WWW-Authenticate`). */
export interface Espv2Answer<F extends Failure = Failure> {
  readonly status: 400 | 401 | 403 | 404 | 405;
  message(f: F): string;
  readonly wwwAuthenticate: boolean;
}

/** One kind's entry. A null answer: that ESP never gives this failure (its checks differ). */
export interface CatalogueEntry<K extends FailureKind> {
  /** The stable public code (`EndpointsAuthError.reason`). */
  readonly reason: Reason;
  readonly step: CheckName;
  readonly decidedBy: DecidedBy;
  /** What the generated docs show; the table's order is the docs' order. */
  readonly example: Of<K>;
  /** What to check: the middleware's `hint`, the logger, the CLI and docs/troubleshooting.md. */
  hint(f: Of<K>): string;
  readonly espv2: Espv2Answer<Of<K>> | null;
  /** Both ESP v1 generations side by side; a null generation never gives it. `WWW-Authenticate` goes with every 401 and 403. */
  esp1: ((f: Of<K>) => Esp1Row) | null;
}

export const CATALOGUE = {
  // Ours: a target whose path the framework's router would read its own way. Envoy refuses a fragment
  // in the request target with a 400 too; the message is ours.
  request_target_invalid: {
    reason: 'request_target_invalid',
    step: 'operation',
    decidedBy: 'engine',
    example: { kind: 'request_target_invalid' },
    hint: () => 'The request target carries a fragment ("#..."), which clients never send: Express would route it on a path rewritten by Node\'s legacy URL parser, so the request is refused before any operation is chosen. Send the target without it.',
    espv2: { status: 400, message: () => 'The request target has a fragment, which is not allowed.', wwwAuthenticate: false },
    esp1: () => service(3, 'The request target has a fragment, which is not allowed.'),
  },
  operation_not_defined: {
    reason: 'operation_not_defined',
    step: 'operation',
    decidedBy: 'engine',
    example: { kind: 'operation_not_defined' },
    hint: () => 'No path template of the OpenAPI document matches this path (basePath or servers[].url included). Add the path to the document, or set x-google-allow: all to let undefined operations through unchecked.',
    espv2: { status: 404, message: () => 'The current request is not defined by this API.', wwwAuthenticate: false },
    esp1: () => service(5, 'Method does not exist.'),
  },
  method_not_allowed: {
    reason: 'method_not_allowed',
    step: 'operation',
    decidedBy: 'engine',
    example: { kind: 'method_not_allowed', template: '/v1/shelves/{shelf}' },
    hint: (f) => `The path matches the template "${f.template}" but the document defines no operation for this HTTP method on it. Add the method, or check x-http-method-override.`,
    espv2: { status: 405, message: (f) => `The current request is matched to the defined url template "${f.template}" but its http method is not allowed`, wwwAuthenticate: false },
    esp1: () => service(5, 'Method does not exist.'),
  },
  cors_not_allowed: {
    reason: 'cors_not_allowed',
    step: 'operation',
    decidedBy: 'engine',
    example: { kind: 'cors_not_allowed' },
    hint: () => 'An OPTIONS request reached a path without an OPTIONS operation. Set allowCors: true in x-google-endpoints, or define an OPTIONS operation.',
    espv2: { status: 404, message: () => 'The current request is not defined by this API.', wwwAuthenticate: false },
    esp1: () => service(7, 'The service does not allow CORS traffic.'),
  },
  jwt_missing: {
    reason: 'jwt_missing',
    step: 'token',
    decidedBy: 'jwt-stage',
    example: { kind: 'jwt_missing' },
    hint: () => 'No token was found where the provider looks for it: by default the Authorization header with the prefix "Bearer " (case sensitive), the X-Goog-Iap-Jwt-Assertion header and the access_token query parameter; x-google-jwt-locations replaces those defaults.',
    espv2: { status: 401, message: () => 'Jwt is missing', wwwAuthenticate: true },
    esp1: () => jwt('Missing or invalid credentials'),
  },
  jwt_bad_format: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'jwt_bad_format' },
    hint: () => 'The token must be three base64url sections joined by two dots (header.payload.signature). Check that the whole token was sent, with nothing before or after it.',
    espv2: { status: 401, message: () => 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections', wwwAuthenticate: true },
    esp1: () => jwt('Bad JWT format: should have 2 dots', BAD_FORMAT),
  },
  header_bad_base64: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'header_bad_base64' },
    hint: () => 'A section of the token is not valid base64url (RFC 4648 section 5: A-Z a-z 0-9 - _, no "+" or "/"). Check how the client encodes the token.',
    espv2: { status: 401, message: () => 'Jwt header is an invalid Base64url encoded', wwwAuthenticate: true },
    esp1: () => jwt('Bad JWT format: Invalid base64 in header', BAD_FORMAT),
  },
  header_bad_json: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'header_bad_json' },
    hint: () => 'A section of the token does not decode to a JSON object.',
    espv2: { status: 401, message: () => 'Jwt header is an invalid JSON', wwwAuthenticate: true },
    esp1: () => jwt('Bad JWT format: Invalid JSON in header', BAD_FORMAT),
  },
  header_bad_alg: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'header_bad_alg' },
    hint: () => 'The token header must carry "alg" as a string.',
    espv2: { status: 401, message: () => 'Jwt header [alg] field is required and must be a string', wwwAuthenticate: true },
    esp1: () => jwt('Missing alg field.', BAD_FORMAT),
  },
  header_alg_not_supported: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'header_alg_not_supported' },
    hint: () => 'Supported algorithms: RS256/384/512, PS256/384/512, ES256/384/512, HS256/384/512 and EdDSA. "none" is never accepted.',
    espv2: { status: 401, message: () => 'Jwt header [alg] is not supported', wwwAuthenticate: true },
    esp1: () => jwt('Failed to allocate memory.', BAD_FORMAT),
  },
  header_bad_kid: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'header_bad_kid' },
    hint: () => 'The token header "kid", when present, must be a string.',
    espv2: { status: 401, message: () => 'Jwt header [kid] field is not a string', wwwAuthenticate: true },
    esp1: null,
  },
  payload_bad_base64: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'payload_bad_base64' },
    hint: () => 'A section of the token is not valid base64url (RFC 4648 section 5: A-Z a-z 0-9 - _, no "+" or "/"). Check how the client encodes the token.',
    espv2: { status: 401, message: () => 'Jwt payload is an invalid Base64url encoded', wwwAuthenticate: true },
    esp1: () => jwt('Bad JWT format: Invalid base64 in claims', BAD_FORMAT),
  },
  payload_bad_json: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'payload_bad_json' },
    hint: () => 'A section of the token does not decode to a JSON object.',
    espv2: { status: 401, message: () => 'Jwt payload is an invalid JSON', wwwAuthenticate: true },
    esp1: () => jwt('Bad JWT format: Invalid JSON in claims', BAD_FORMAT),
  },
  claim_not_string: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'claim_not_string', claim: 'iss' },
    hint: (f) => `The "${f.claim}" claim must be a string.`,
    espv2: { status: 401, message: (f) => `Jwt payload [${f.claim}] field is not a string`, wwwAuthenticate: true },
    esp1: null,
  },
  claim_not_integer: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'claim_not_integer', claim: 'exp' },
    hint: (f) => `The "${f.claim}" claim must be a number of seconds since the epoch (NumericDate), not a string.`,
    espv2: { status: 401, message: (f) => `Jwt payload [${f.claim}] field is not an integer`, wwwAuthenticate: true },
    esp1: null,
  },
  claim_out_of_range: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'claim_out_of_range', claim: 'exp' },
    hint: (f) => `The "${f.claim}" claim must be a non-negative number of seconds below 2^64.`,
    espv2: { status: 401, message: (f) => `Jwt payload [${f.claim}] field is not a positive 64 bit integer`, wwwAuthenticate: true },
    esp1: null,
  },
  aud_bad_type: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'aud_bad_type' },
    hint: () => 'The "aud" claim must be a string or a list of strings.',
    espv2: { status: 401, message: () => 'Jwt payload [aud] field is not a string or string list', wwwAuthenticate: true },
    esp1: null,
  },
  claims_bad_type: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'claims_bad_type' },
    hint: () => 'A claim of the token has the wrong type: "iss", "sub", "jti" and "aud" must be strings ("aud" may be a list), "iat", "nbf" and "exp" numbers of seconds other than 0.',
    espv2: null,
    esp1: () => jwt('Bad JWT format: invalid JWT claims; e.g. wrong data type, iss is not a string.', BAD_FORMAT),
  },
  issuer_missing: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'issuer_missing' },
    hint: () => 'The token has no "iss" claim; ESP v1 requires one. Check how the issuer mints the token.',
    espv2: null,
    esp1: () => jwt('Bad JWT format: invalid JWT claims; issuer is mssing but required.', BAD_FORMAT),
  },
  signature_bad_base64: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'signature_bad_base64' },
    hint: () => 'A section of the token is not valid base64url (RFC 4648 section 5: A-Z a-z 0-9 - _, no "+" or "/"). Check how the client encodes the token.',
    espv2: { status: 401, message: () => 'Jwt signature is an invalid Base64url encoded', wwwAuthenticate: true },
    esp1: () => jwt('Bad JWT format: invalid base64 for signature', BAD_FORMAT),
  },
  es256_signature_length: {
    reason: 'verification_failed',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'es256_signature_length' },
    hint: () => 'An ES256 signature must be 64 bytes (r and s, 32 bytes each, not DER). Check how the client signs the token.',
    espv2: null,
    esp1: () => jwt('Bad JWT format: signature length is not correct', BAD_SIGNATURE),
  },
  audience_missing: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'audience_missing' },
    hint: () => 'The token has no "aud" claim (or only non-string entries); ESP v1 requires one. Set "aud" to the service name or to an entry of x-google-audiences.',
    espv2: null,
    esp1: () => jwt('Bad JWT format: missing audience field.', BAD_FORMAT),
  },
  subject_missing: {
    reason: 'bad_format',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'subject_missing' },
    hint: () => 'The token has no "sub" claim; ESP up to v1.36 requires one (later versions do not). Add "sub", or move to a newer ESP.',
    espv2: null,
    esp1: () => jwt(null, BAD_FORMAT),
  },
  issuer_not_configured: {
    reason: 'issuer_not_configured',
    step: 'issuer',
    decidedBy: 'jwt-stage',
    example: { kind: 'issuer_not_configured' },
    hint: () => 'The token "iss" claim must equal the x-google-issuer of a security scheme this operation requires, character for character. On Cloud Run, a Google-signed identity token for the service itself (from --allow-unauthenticated or an IAM invoker) has iss https://accounts.google.com: add a scheme for that issuer or send a token from your own issuer.',
    espv2: { status: 401, message: () => 'Jwt issuer is not configured', wwwAuthenticate: true },
    esp1: () => jwt('Issuer not allowed'),
  },
  not_yet_valid: {
    reason: 'jwt_not_yet_valid',
    step: 'time',
    decidedBy: 'jwt-stage',
    example: { kind: 'not_yet_valid' },
    hint: () => 'The token "nbf" is in the future (60 s of clock skew allowed). Check the clocks of the issuer and of this server.',
    espv2: { status: 401, message: () => 'Jwt not yet valid', wwwAuthenticate: true },
    esp1: () => jwt(TIME),
  },
  expired: {
    reason: 'jwt_expired',
    step: 'time',
    decidedBy: 'jwt-stage',
    example: { kind: 'expired' },
    hint: () => 'The token "exp" has passed (60 s of clock skew allowed). Get a new token; check the clocks of the issuer and of this server.',
    espv2: { status: 401, message: () => 'Jwt is expired', wwwAuthenticate: true },
    esp1: () => jwt(TIME),
  },
  email_subject_mismatch: {
    reason: 'email_subject_mismatch',
    step: 'parse',
    decidedBy: 'jwt-stage',
    example: { kind: 'email_subject_mismatch' },
    hint: () => 'The token "iss" looks like an e-mail address (a service account), and such a token must assert itself: "sub" must be absent or equal to "iss". Mint the token with sub = iss.',
    espv2: null,
    esp1: () => jwt('UNKNOWN'),
  },
  audience_not_allowed: {
    reason: 'audience_not_allowed',
    step: 'audience',
    decidedBy: 'jwt-stage',
    example: { kind: 'audience_not_allowed' },
    hint: () => 'The token "aud" must match an entry of x-google-audiences of the same security scheme (the same securityDefinitions object that holds x-google-issuer), or, when that is empty, https://<service name> (the document host). http:// or https:// and one trailing "/" are ignored when comparing.',
    espv2: { status: 403, message: () => 'Audiences in Jwt are not allowed', wwwAuthenticate: true },
    esp1: () => jwt('Audience not allowed', 'Audience not allowed', 7),
  },
  jwks_fetch_failed: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'jwks_fetch_failed', detail: '' },
    hint: () => 'The provider keys could not be downloaded or read: check x-google-jwks_uri (or the issuer OpenID discovery document), that it answers 200 with a JWKS or an X.509 certificate map, and that this server can reach it.',
    espv2: { status: 401, message: () => 'Jwks remote fetch is failed', wwwAuthenticate: true },
    esp1: null,
  },
  key_uri_unknown: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'key_uri_unknown' },
    hint: () => 'The keys of this issuer cannot be located yet: an OpenID discovery for it failed less than 30 s ago (ESP v1 remembered that until it restarted; here it is tried again after 30 s). Set x-google-jwks_uri on the security scheme.',
    espv2: null,
    esp1: () => jwt('Cannot determine the URI of the key'),
  },
  discovery_fetch_failed: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'discovery_fetch_failed', httpStatus: 404, detail: '' },
    hint: (f) => `The OpenID discovery document (<the document's issuer>/.well-known/openid-configuration) could not be downloaded${f.httpStatus ? ` (HTTP ${f.httpStatus})` : ''}. Set x-google-jwks_uri, or make the document reachable from this server. It is tried again 30 s later.`,
    espv2: null,
    esp1: (f) => jwt(fetched('Unable to fetch URI of the key via OpenID discovery', f.httpStatus)),
  },
  discovery_parse_failed: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'discovery_parse_failed' },
    hint: () => 'The OpenID discovery document has no string "jwks_uri". Set x-google-jwks_uri on the security scheme.',
    espv2: null,
    esp1: () => jwt('Unable to parse URI of the key via OpenID discovery'),
  },
  key_fetch_failed: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'key_fetch_failed', httpStatus: 503, detail: '' },
    hint: (f) => `The keys at x-google-jwks_uri (or the discovered jwks_uri) could not be downloaded${f.httpStatus ? ` (HTTP ${f.httpStatus})` : ''}, or the answer was empty. ESP v1 keeps no stale keys: check that the URL answers 200 from this server.`,
    espv2: null,
    esp1: (f) => jwt(fetched('Unable to fetch verification key', f.httpStatus)),
  },
  key_json_invalid: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'key_json_invalid' },
    hint: () => 'The key document is not JSON. For RS* and ES256 tokens ESP v1 reads a JWKS or an X.509 certificate map; check x-google-jwks_uri.',
    espv2: null,
    esp1: () => jwt('Invalid JSON for public key', KEY_RETRIEVAL_ERROR),
  },
  jwks_keys_missing: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'jwks_keys_missing' },
    hint: () => 'ES256 tokens need a JWKS ({"keys": [...]}); the key document at x-google-jwks_uri has no "keys".',
    espv2: null,
    esp1: () => jwt('Invalid public key: keys field is missing.', KEY_RETRIEVAL_ERROR),
  },
  jwks_keys_not_list: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'jwks_keys_not_list' },
    hint: () => 'The "keys" member of the JWKS at x-google-jwks_uri must be a list.',
    espv2: null,
    esp1: () => jwt('Unexpected value type of keys property in jwks key set.', KEY_RETRIEVAL_ERROR),
  },
  jwks_empty: {
    reason: 'jwks_fetch_failed',
    step: 'keys',
    decidedBy: 'jwt-stage',
    example: { kind: 'jwks_empty' },
    hint: () => 'The JWKS at x-google-jwks_uri has no keys.',
    espv2: null,
    esp1: () => jwt('The jwks key set is empty', KEY_RETRIEVAL_ERROR),
  },
  key_not_found: {
    reason: 'key_not_found',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'key_not_found' },
    hint: () => 'No key of the provider matches the token "kid" and "alg": check that the issuer signs with a key published at x-google-jwks_uri, and that a key "alg", when set, equals the token "alg".',
    espv2: { status: 401, message: () => "Jwks doesn't have key to match kid or alg from Jwt", wwwAuthenticate: true },
    esp1: null,
  },
  kid_not_in_jwks: {
    reason: 'key_not_found',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'kid_not_in_jwks', kid: 'KID' },
    hint: (f) => `No key of the JWKS has the kid "${f.kid}" with a kty that fits the token alg (ESP v1 ignores keys without kid). The issuer may have rotated its keys; check x-google-jwks_uri.`,
    espv2: null,
    esp1: (f) => jwt(`Cannot find matching key in key set for kid=${f.kid}`, KEY_RETRIEVAL_ERROR),
  },
  kid_not_in_x509: {
    reason: 'key_not_found',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'kid_not_in_x509', kid: 'KID' },
    hint: (f) => `The X.509 certificate map at x-google-jwks_uri has no entry "${f.kid}". The issuer may have rotated its keys.`,
    espv2: null,
    esp1: (f) => jwt(`Could not find matching key in public key set for kid=${f.kid}`, KEY_RETRIEVAL_ERROR),
  },
  x509_extract_failed: {
    reason: 'key_not_found',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'x509_extract_failed', kid: 'KID' },
    hint: (f) => `The certificate${f.kid ? ` "${f.kid}"` : ''} of the X.509 map at x-google-jwks_uri cannot be read (or the map is empty).`,
    espv2: null,
    esp1: (f) => jwt(`Failed to extract public key from X509 for kid=${f.kid}`, KEY_RETRIEVAL_ERROR),
  },
  no_key_verifies: {
    reason: 'verification_failed',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'no_key_verifies' },
    hint: () => 'The token has no kid and no key of the provider verifies its signature (ESP v1 skips JWKS keys without kid): the token was signed by another key, or altered.',
    espv2: null,
    esp1: () => jwt('The JWT cannot be validated with any of the public keys.', BAD_SIGNATURE),
  },
  verification_failed: {
    reason: 'verification_failed',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'verification_failed' },
    hint: () => 'The signature does not verify with any candidate key of the provider: the token was signed by another key, altered, or the key set at x-google-jwks_uri belongs to another issuer.',
    espv2: { status: 401, message: () => 'Jwt verification fails', wwwAuthenticate: true },
    esp1: () => jwt('JWT signature verification failed.', BAD_SIGNATURE),
  },
  ed25519_signature_length: {
    reason: 'verification_failed',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'ed25519_signature_length' },
    hint: () => 'The signature does not verify with any candidate key of the provider: the token was signed by another key, altered, or the key set at x-google-jwks_uri belongs to another issuer.',
    espv2: { status: 401, message: () => 'Jwt ED25519 signature is wrong length', wwwAuthenticate: true },
    esp1: null,
  },
  hs_key_bad_base64: {
    reason: 'jwks_fetch_failed',
    step: 'signature',
    decidedBy: 'jwt-stage',
    example: { kind: 'hs_key_bad_base64' },
    hint: () => 'For HS* tokens ESP v1 takes the whole key document at x-google-jwks_uri, base64url-decoded, as the secret; that document is not base64url (a JWKS or a certificate map is served for an HS token).',
    espv2: null,
    esp1: () => jwt('Invalid base64 encoded HS symmetric key. Most likely JWT alg is HS, but public key is ES or RSA.', KEY_RETRIEVAL_ERROR),
  },
  insufficient_scope: {
    reason: 'insufficient_scope',
    step: 'scopes',
    decidedBy: 'engine',
    example: { kind: 'insufficient_scope', missing: ['read'] },
    hint: (f) => `The token lacks scopes that the operation's security requirement lists: ${f.missing.join(' ')}. Scopes are read from the "scope" claim (space separated) or the "scp" claim (list).`,
    espv2: { status: 403, message: (f) => `Jwt is missing the scopes this operation requires: ${f.missing.join(' ')}`, wwwAuthenticate: true },
    // Ours: ESP v1 does not check scopes; the refusal takes the shape of its audience refusal.
    esp1: (f) => jwt(`Jwt is missing the scopes this operation requires: ${f.missing.join(' ')}`, undefined, 7),
  },
  api_key_missing: {
    reason: 'api_key_missing',
    step: 'api_key',
    decidedBy: 'engine',
    example: { kind: 'api_key_missing' },
    hint: () => 'Every security alternative of this operation requires an API key: send it in the query parameter "key" or "api_key", the header "x-api-key", or where the apiKey scheme says.',
    espv2: { status: 401, message: () => "UNAUTHENTICATED: Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", wwwAuthenticate: false },
    esp1: () => service(16, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."),
  },
  api_key_invalid: {
    reason: 'api_key_invalid',
    step: 'api_key',
    decidedBy: 'engine',
    example: { kind: 'api_key_invalid' },
    hint: () => 'The API key was refused by the apiKey option.',
    espv2: { status: 400, message: () => 'INVALID_ARGUMENT: API key not valid. Please pass a valid API key.', wwwAuthenticate: false },
    esp1: () => service(3, 'API key not valid. Please pass a valid API key.'),
  },
  internal_error: {
    reason: 'internal_error',
    step: 'internal',
    decidedBy: 'either',
    example: { kind: 'internal_error', detail: '' },
    hint: () => 'The middleware failed inside while checking this request and refused it (fail closed); the logger has the detail.',
    espv2: { status: 401, message: () => 'Jwt verification fails', wwwAuthenticate: true },
    esp1: () => jwt('Internal error'),
  },
} as const satisfies { readonly [K in FailureKind]: CatalogueEntry<K> };

/** An entry read for any failure, as the consumers that hold a `Failure` (not one kind) read it. */
export type AnyEntry = CatalogueEntry<FailureKind> & {
  hint(f: Failure): string;
  readonly espv2: Espv2Answer | null;
  esp1: ((f: Failure) => Esp1Row) | null;
};

export function entryOf(kind: FailureKind): AnyEntry {
  return CATALOGUE[kind] as AnyEntry;
}
