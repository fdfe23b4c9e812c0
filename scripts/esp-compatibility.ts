/**
 * Renders docs/esp-compatibility.md from the dialects themselves (`npm run docs:compat`), so the table
 * cannot drift from the code: spec/docs/esp-compatibility.test.ts checks the committed file.
 */
import { fileURLToPath } from 'node:url';
import type { Failure, FailureKind } from '../lib/failures/failure.js';
import { espv2Message, espv2Status, type Espv2Failure } from '../lib/dialects/espv2/espv2.js';
import { ESP1_ANSWERS, esp1Row, HTTP_STATUS_OF_CODE, type Esp1Answer, type Esp1Failure } from '../lib/dialects/esp1/esp1-answers.js';
import type { Compatibility } from '../lib/kernel/config.js';

/** One example of every failure, in table order; the type makes the list complete. */
export const EXAMPLES: { readonly [K in FailureKind]: Extract<Failure, { kind: K }> } = {
  operation_not_defined: { kind: 'operation_not_defined' },
  method_not_allowed: { kind: 'method_not_allowed', template: '/v1/shelves/{shelf}' },
  cors_not_allowed: { kind: 'cors_not_allowed' },
  jwt_missing: { kind: 'jwt_missing' },
  jwt_bad_format: { kind: 'jwt_bad_format' },
  header_bad_base64: { kind: 'header_bad_base64' },
  header_bad_json: { kind: 'header_bad_json' },
  header_bad_alg: { kind: 'header_bad_alg' },
  header_alg_not_supported: { kind: 'header_alg_not_supported' },
  header_bad_kid: { kind: 'header_bad_kid' },
  payload_bad_base64: { kind: 'payload_bad_base64' },
  payload_bad_json: { kind: 'payload_bad_json' },
  claim_not_string: { kind: 'claim_not_string', claim: 'iss' },
  claim_not_integer: { kind: 'claim_not_integer', claim: 'exp' },
  claim_out_of_range: { kind: 'claim_out_of_range', claim: 'exp' },
  aud_bad_type: { kind: 'aud_bad_type' },
  claims_bad_type: { kind: 'claims_bad_type' },
  issuer_missing: { kind: 'issuer_missing' },
  signature_bad_base64: { kind: 'signature_bad_base64' },
  es256_signature_length: { kind: 'es256_signature_length' },
  audience_missing: { kind: 'audience_missing' },
  subject_missing: { kind: 'subject_missing' },
  issuer_not_configured: { kind: 'issuer_not_configured' },
  not_yet_valid: { kind: 'not_yet_valid' },
  expired: { kind: 'expired' },
  email_subject_mismatch: { kind: 'email_subject_mismatch' },
  audience_not_allowed: { kind: 'audience_not_allowed' },
  jwks_fetch_failed: { kind: 'jwks_fetch_failed', detail: '' },
  key_uri_unknown: { kind: 'key_uri_unknown' },
  discovery_fetch_failed: { kind: 'discovery_fetch_failed', httpStatus: 404, detail: '' },
  discovery_parse_failed: { kind: 'discovery_parse_failed' },
  key_fetch_failed: { kind: 'key_fetch_failed', httpStatus: 503, detail: '' },
  key_json_invalid: { kind: 'key_json_invalid' },
  jwks_keys_missing: { kind: 'jwks_keys_missing' },
  jwks_keys_not_list: { kind: 'jwks_keys_not_list' },
  jwks_empty: { kind: 'jwks_empty' },
  key_not_found: { kind: 'key_not_found' },
  kid_not_in_jwks: { kind: 'kid_not_in_jwks', kid: 'KID' },
  kid_not_in_x509: { kind: 'kid_not_in_x509', kid: 'KID' },
  x509_extract_failed: { kind: 'x509_extract_failed', kid: 'KID' },
  no_key_verifies: { kind: 'no_key_verifies' },
  verification_failed: { kind: 'verification_failed' },
  ed25519_signature_length: { kind: 'ed25519_signature_length' },
  hs_key_bad_base64: { kind: 'hs_key_bad_base64' },
  insufficient_scope: { kind: 'insufficient_scope', missing: ['read'] },
  api_key_missing: { kind: 'api_key_missing' },
  api_key_invalid: { kind: 'api_key_invalid' },
  internal_error: { kind: 'internal_error', detail: '' },
};

/**
 * Which failures ESPv2 can give (true), as a mapped type: a kind missing or extra fails to compile.
 * ESP v1's are the keys of its answer table.
 */
export const ESPV2: { readonly [K in Espv2Failure['kind']]: true } = {
  operation_not_defined: true, method_not_allowed: true, cors_not_allowed: true, jwt_missing: true, jwt_bad_format: true,
  header_bad_base64: true, header_bad_json: true, header_bad_alg: true, header_alg_not_supported: true, header_bad_kid: true,
  payload_bad_base64: true, payload_bad_json: true, claim_not_string: true, claim_not_integer: true, claim_out_of_range: true,
  aud_bad_type: true, signature_bad_base64: true, issuer_not_configured: true, not_yet_valid: true, expired: true,
  audience_not_allowed: true, jwks_fetch_failed: true, key_not_found: true, verification_failed: true,
  ed25519_signature_length: true, insufficient_scope: true, api_key_missing: true, api_key_invalid: true, internal_error: true,
};

const NONE = '—';
export const cell = (status: number, message: string) => `${status} \`${message.replace(/\|/g, '\\|')}\``;

/** What each compatibility answers to a failure, as a cell; null where that ESP never gives it. */
export function answersOf(f: Failure): { readonly [C in Compatibility]: string | null } {
  const v2 = f.kind in ESPV2 ? cell(espv2Status(f as Espv2Failure), espv2Message(f as Espv2Failure)) : null;
  const v1 = f.kind in ESP1_ANSWERS ? esp1Row(f as Esp1Failure) : { esp: null, 'esp-1.32': null };
  const esp1Cell = (a: Esp1Answer | null) => (a ? cell(HTTP_STATUS_OF_CODE[a.code], a.message) : null);
  return { espv2: v2, esp: esp1Cell(v1.esp), 'esp-1.32': esp1Cell(v1['esp-1.32']) };
}

export function renderCompatibilityTable(): string {
  const rows = Object.values(EXAMPLES).map((f) => {
    const a = answersOf(f);
    return `| \`${f.kind}\` | ${a.espv2 ?? NONE} | ${a.esp ?? NONE} | ${a['esp-1.32'] ?? NONE} |`;
  });
  return `<!-- Generated by \`npm run docs:compat\` from lib/dialects; do not edit by hand. -->
# What each ESP answers, by failure

Every way espresso-jwt refuses a request, and the HTTP status and message each \`compatibility\` answers
with. "—" means that ESP never gives this failure (its checks differ). Examples use kid \`KID\`, HTTP statuses
404 and 503, the scope \`read\` and the template \`/v1/shelves/{shelf}\`.

- \`espv2\`: body \`{"code":<status>,"message":"<message>"}\` and a newline; \`WWW-Authenticate: Bearer realm="..."\`
  on JWT failures (with \`, error="invalid_token"\` unless the token is missing).
- \`esp\` (ESP v1.60) and \`esp-1.32\`: body \`google.rpc.Status\` as protobuf prints it (one-space indent,
  \`code\` the gRPC code: 16 for 401, 7 for 403, 5 for 404, 3 for 400; one DebugInfo detail \`auth\`, or
  \`service_control\` for the routing and API key rows) and a newline; \`WWW-Authenticate: Bearer\` on every
  401 and 403, \`Bearer, error="invalid_token"\` once a token was extracted.
- Failures marked ours (\`insufficient_scope\`) are checks no ESP makes; they take each ESP's shape.

| failure | ESPv2 (\`espv2\`) | ESP v1.60 (\`esp\`) | ESP v1.32 (\`esp-1.32\`) |
|---|---|---|---|
${rows.join('\n')}
`;
}

export const COMPATIBILITY_DOC = fileURLToPath(new URL('../docs/esp-compatibility.md', import.meta.url));
