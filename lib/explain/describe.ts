import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Operation, TokenLocation } from '../openapi/model.js';
import { providersOf } from '../openapi/providers-of.js';
import type { CheckName } from '../failures/catalogue.js';

/** What explain saw of the token, decoded leniently (for display only; the verdict is the engine's). */
export interface SeenToken {
  readonly header: Record<string, unknown> | undefined;
  readonly claims: Record<string, unknown> | undefined;
}

export function seeToken(token: string): SeenToken {
  let header: Record<string, unknown> | undefined;
  let claims: Record<string, unknown> | undefined;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    header = undefined;
  }
  try {
    claims = decodeJwt(token) as Record<string, unknown>;
  } catch {
    claims = undefined;
  }
  return { header, claims };
}

export function describeLocation(l: TokenLocation): string {
  if (l.in === 'header') return l.prefix ? `header ${l.name}: "${l.prefix}<token>"` : `header ${l.name}`;
  return `${l.in} ${l.name}`;
}

const json = (v: unknown) => JSON.stringify(v);

/** A claim's value as JSON, cut to a readable length (a token's claims can be long). */
function shortJson(v: unknown, max = 60): string {
  const text = JSON.stringify(v) ?? String(v);
  if (text.length <= max) return text;
  // A long string stays a quoted string: its start, an ellipsis, the closing quote.
  return typeof v === 'string' ? `${JSON.stringify(v.slice(0, max - 3)).slice(0, -1)}…"` : `${text.slice(0, max - 1)}…`;
}

/** The claims with their values, each shortened. */
function claimValues(c: Record<string, unknown>): string {
  return `{${Object.entries(c).map(([k, v]) => `${json(k)}: ${shortJson(v)}`).join(', ')}}`;
}

function when(seconds: unknown, nowSeconds: number): string {
  if (typeof seconds !== 'number') return json(seconds);
  const delta = seconds - nowSeconds;
  const span = Math.abs(delta) < 120 ? `${Math.abs(Math.round(delta))} s` : Math.abs(delta) < 7200 ? `${Math.round(Math.abs(delta) / 60)} min` : `${Math.round(Math.abs(delta) / 3600)} h`;
  return `${seconds} (${new Date(seconds * 1000).toISOString()}, ${delta >= 0 ? `in ${span}` : `${span} ago`})`;
}

/** A sentence per check: what the document asks and what the token has, for the operation at hand. */
export function describeCheck(
  check: CheckName,
  ctx: { op: Operation | undefined; seen: SeenToken; nowSeconds: number; skewSeconds: number; serviceName: string | undefined; sentAs: string },
): string {
  const { op, seen, nowSeconds, skewSeconds, serviceName } = ctx;
  const providers = op ? providersOf(op) : [];
  const c = seen.claims ?? {};
  switch (check) {
    case 'operation':
      return op ? `matches operation ${op.id} (${op.method} ${op.template})` : 'matches no operation of the document';
    case 'token':
      return `sent as ${ctx.sentAs}; ${providers.length ? `the operation looks in: ${providers.map((p) => `${p.name}: ${p.locations.map(describeLocation).join(', ')}`).join('; ')}` : 'the operation needs no token'}`;
    case 'parse':
      return seen.header && seen.claims ? `header ${json(seen.header)}, claims ${claimValues(c)}` : 'the token does not decode as header.payload.signature (base64url JSON)';
    case 'issuer':
      return `token iss ${json(c.iss)}; the operation accepts ${providers.map((p) => `${json(p.issuer)} (scheme ${p.name})`).join(' or ') || 'no issuer'}`;
    case 'time':
      return `now ${nowSeconds} (${new Date(nowSeconds * 1000).toISOString()}), skew ${skewSeconds} s; nbf ${c.nbf === undefined ? 'absent' : when(c.nbf, nowSeconds)}; exp ${c.exp === undefined ? 'absent (not required)' : when(c.exp, nowSeconds)}`;
    case 'audience': {
      const allowed = providers
        .filter((p) => p.issuer === c.iss || providers.length === 1)
        .map((p) => `scheme ${p.name}: ${p.audiences.length ? json(p.audiences) + ' (x-google-audiences)' : `${json(`https://${serviceName ?? '<no host>'}`)} (default: https://<service name>)`}`);
      return `token aud ${json(c.aud)}; allowed ${allowed.join('; ') || 'none'}`;
    }
    case 'keys':
      return providers.map((p) => `${p.name}: ${p.keySource.kind === 'url' ? p.keySource.url : `OpenID discovery at ${p.keySource.url}`}`).join('; ') || 'no keys needed';
    case 'signature':
      return `token alg ${json(seen.header?.alg)}, kid ${json(seen.header?.kid)}`;
    case 'scopes': {
      const listed = op ? op.alternatives.flatMap((a) => a.jwt.flatMap((t) => t.scopes)) : [];
      return listed.length ? `the operation lists scopes ${json([...new Set(listed)])}; token scope ${json(c.scope)}, scp ${json(c.scp)}` : 'no scopes listed';
    }
    case 'api_key':
      return op && op.alternatives.some((a) => a.apiKeys.length) ? 'the operation names an API key scheme' : 'no API key needed';
    case 'internal':
      return 'the middleware failed inside (see the logger)';
  }
}
