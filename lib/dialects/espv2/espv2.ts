import type { EngineFailure, Espv2JwtFailure } from '../../failures/failure.js';
import type { RequestView } from '../../kernel/request-view.js';
import { espv2JwtStage } from './espv2-jwt-stage.js';
import type { Dialect, Refusal } from '../dialect.js';

/** Every failure ESPv2 can answer with. */
export type Espv2Failure = Espv2JwtFailure | EngineFailure;
type Failure = Espv2Failure;

/** ESPv2's message for each failure (jwt_verify_lib's status strings, Envoy's and ESPv2's own). */
export function espv2Message(f: Failure): string {
  switch (f.kind) {
    case 'operation_not_defined':
      return 'The current request is not defined by this API.';
    case 'method_not_allowed':
      return `The current request is matched to the defined url template "${f.template}" but its http method is not allowed`;
    case 'cors_not_allowed':
      return 'The current request is not defined by this API.';
    case 'jwt_missing':
      return 'Jwt is missing';
    case 'jwt_bad_format':
      return 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections';
    case 'header_bad_base64':
      return 'Jwt header is an invalid Base64url encoded';
    case 'header_bad_json':
      return 'Jwt header is an invalid JSON';
    case 'header_bad_alg':
      return 'Jwt header [alg] field is required and must be a string';
    case 'header_alg_not_supported':
      return 'Jwt header [alg] is not supported';
    case 'header_bad_kid':
      return 'Jwt header [kid] field is not a string';
    case 'payload_bad_base64':
      return 'Jwt payload is an invalid Base64url encoded';
    case 'payload_bad_json':
      return 'Jwt payload is an invalid JSON';
    case 'claim_not_string':
      return `Jwt payload [${f.claim}] field is not a string`;
    case 'claim_not_integer':
      return `Jwt payload [${f.claim}] field is not an integer`;
    case 'claim_out_of_range':
      return `Jwt payload [${f.claim}] field is not a positive 64 bit integer`;
    case 'aud_bad_type':
      return 'Jwt payload [aud] field is not a string or string list';
    case 'signature_bad_base64':
      return 'Jwt signature is an invalid Base64url encoded';
    case 'issuer_not_configured':
      return 'Jwt issuer is not configured';
    case 'not_yet_valid':
      return 'Jwt not yet valid';
    case 'expired':
      return 'Jwt is expired';
    case 'audience_not_allowed':
      return 'Audiences in Jwt are not allowed';
    case 'jwks_fetch_failed':
      return 'Jwks remote fetch is failed';
    case 'key_not_found':
      return "Jwks doesn't have key to match kid or alg from Jwt";
    case 'verification_failed':
    case 'internal_error':
      return 'Jwt verification fails';
    case 'ed25519_signature_length':
      return 'Jwt ED25519 signature is wrong length';
    case 'insufficient_scope':
      return `Jwt is missing the scopes this operation requires: ${f.missing.join(' ')}`;
    case 'api_key_missing':
      return "UNAUTHENTICATED: Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
    case 'api_key_invalid':
      return 'INVALID_ARGUMENT: API key not valid. Please pass a valid API key.';
  }
}

export function espv2Status(f: Failure): number {
  switch (f.kind) {
    case 'operation_not_defined':
    case 'cors_not_allowed':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'audience_not_allowed':
    case 'insufficient_scope':
      return 403;
    case 'api_key_invalid':
      return 400;
    default:
      return 401;
  }
}

/** Failures answered by the JWT filter, which adds `WWW-Authenticate`. */
const JWT_FILTER_KINDS: ReadonlySet<Failure['kind']> = new Set<Failure['kind']>([
  'jwt_missing', 'jwt_bad_format', 'header_bad_base64', 'header_bad_json', 'header_bad_alg', 'header_alg_not_supported',
  'header_bad_kid', 'payload_bad_base64', 'payload_bad_json', 'claim_not_string', 'claim_not_integer', 'claim_out_of_range',
  'aud_bad_type', 'signature_bad_base64', 'issuer_not_configured', 'not_yet_valid', 'expired', 'audience_not_allowed',
  'jwks_fetch_failed', 'key_not_found', 'verification_failed', 'ed25519_signature_length', 'internal_error', 'insufficient_scope',
]);

const MAX_REALM_PATH = 256;

/**
 * Envoy's `WWW-Authenticate`: `Bearer realm="<scheme>://<host><path?query>"` (path cut to 256
 * characters), plus `, error="invalid_token"` unless the token was missing. The scheme is the
 * client's X-Forwarded-Proto when it says http or https, else the connection's. Ours: an insufficient
 * scope gets RFC 6750's `error="insufficient_scope", scope="..."`.
 */
export function espv2WwwAuthenticate(f: Failure, view: RequestView): string {
  const forwarded = view.header('x-forwarded-proto');
  const scheme = forwarded === 'http' || forwarded === 'https' ? forwarded : view.secure ? 'https' : 'http';
  const realm = `Bearer realm="${scheme}://${view.header('host') ?? ''}${view.url.slice(0, MAX_REALM_PATH)}"`;
  if (f.kind === 'jwt_missing') return realm;
  if (f.kind === 'insufficient_scope') return `${realm}, error="insufficient_scope", scope="${f.missing.join(' ')}"`;
  return `${realm}, error="invalid_token"`;
}

/** ESPv2's forwarded payload: the payload segment as received, padded on request. */
function userInfo(token: { readonly payloadSegment: string }, padding: boolean): string {
  if (!padding) return token.payloadSegment;
  const bare = token.payloadSegment.replace(/=+$/, '');
  return bare + '='.repeat((4 - (bare.length % 4)) % 4);
}

export const espv2: Dialect<Espv2JwtFailure> = {
  name: 'espv2',
  createJwtStage: (model, config) => espv2JwtStage(model.providers.values(), config, userInfo),
  unmatched: (match) => (match.kind === 'method_not_allowed' ? { kind: 'method_not_allowed', template: match.template } : { kind: 'operation_not_defined' }),
  refuse(failure: Failure, view: RequestView): Refusal {
    const status = espv2Status(failure);
    const message = espv2Message(failure);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (JWT_FILTER_KINDS.has(failure.kind)) headers['www-authenticate'] = espv2WwwAuthenticate(failure, view);
    return { status, message, headers, body: `${JSON.stringify({ code: status, message })}\n` };
  },
};
