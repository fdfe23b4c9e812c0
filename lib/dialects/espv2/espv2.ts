import type { EngineFailure, Espv2JwtFailure } from '../../failures/failure.js';
import type { RequestView } from '../../kernel/request-view.js';
import { espv2JwtStage } from './espv2-jwt-stage.js';
import type { Dialect, Refusal } from '../dialect.js';
import { entryOf, type Espv2Answer } from '../../failures/catalogue.js';

/** Every failure ESPv2 can answer with. */
type Espv2Failure = Espv2JwtFailure | EngineFailure;
type Failure = Espv2Failure;

/**
 * ESPv2's answer to a failure, as the catalogue declares it (jwt_verify_lib's status strings, Envoy's
 * and ESPv2's own). Every Espv2Failure has one: that is how the subset is defined.
 */
const answerOf = (f: Failure): Espv2Answer => entryOf(f.kind).espv2!;

const MAX_REALM_PATH = 256;

/**
 * Envoy's `WWW-Authenticate`: `Bearer realm="<scheme>://<host><path?query>"` (path cut to 256
 * characters), plus `, error="invalid_token"` unless the token was missing. The scheme is the
 * client's X-Forwarded-Proto when it says http or https, else the connection's. Ours: an insufficient
 * scope gets RFC 6750's `error="insufficient_scope", scope="..."`.
 */
function espv2WwwAuthenticate(f: Failure, view: RequestView): string {
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
    const answer = answerOf(failure);
    const { status } = answer;
    const message = answer.message(failure);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (answer.wwwAuthenticate) headers['www-authenticate'] = espv2WwwAuthenticate(failure, view);
    return { status, message, headers, body: `${JSON.stringify({ code: status, message })}\n` };
  },
};
