import type { RequestView } from '../../kernel/request-view.js';
import type { Esp1JwtFailure } from '../../failures/failure.js';
import type { Dialect, Refusal } from '../dialect.js';
import { HTTP_STATUS_OF_CODE, type Esp1Generation } from '../../failures/esp1-answer.js';
import { esp1Row, type Esp1Failure } from './esp1-answers.js';
import { esp1JwtStage, type Esp1Rules } from './esp1-jwt-stage.js';
import { protobufJsonString } from './protobuf-json-string.js';

/**
 * An ESP v1 generation as a dialect: its JWT stage rules and its answers. ESP v1 has no 405: a
 * request that matches no operation gets `Method does not exist.`, or, for OPTIONS, the CORS refusal
 * (check_service_control.cc).
 */
export function esp1Dialect(name: Esp1Generation, rules: Esp1Rules): Dialect<Esp1JwtFailure> {
  return {
    name,
    createJwtStage: (model, config) => esp1JwtStage(model, config, rules),
    unmatched: (_match, method) => (method === 'OPTIONS' ? { kind: 'cors_not_allowed' } : { kind: 'operation_not_defined' }),
    refuse: (failure, _view: RequestView, presented) => esp1Refusal(failure, name, presented),
  };
}

/**
 * ESP v1's error response (nginx/error.cc, utils/status.cc): google.rpc.Status printed by protobuf
 * with one-space indent and default fields, one DebugInfo detail, a trailing newline;
 * `Content-Type: application/json`; on every 401 and 403 `WWW-Authenticate: Bearer`, with
 * `, error="invalid_token"` once a token was extracted.
 */
function esp1Refusal(failure: Esp1Failure, generation: Esp1Generation, presented: boolean): Refusal {
  // A failure the generation never gives cannot reach here; should one, it is answered as an internal error.
  const answer = esp1Row(failure)[generation] ?? esp1Row({ kind: 'internal_error', detail: '' })[generation]!;
  const status = HTTP_STATUS_OF_CODE[answer.code];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 401 || status === 403) headers['www-authenticate'] = presented ? 'Bearer, error="invalid_token"' : 'Bearer';
  const body =
    `{\n "code": ${answer.code},\n "message": ${protobufJsonString(answer.message)},\n "details": [\n  {\n` +
    `   "@type": "type.googleapis.com/google.rpc.DebugInfo",\n   "stackEntries": [],\n   "detail": "${answer.detail}"\n  }\n ]\n}\n`;
  return { status, message: answer.message, headers, body };
}
