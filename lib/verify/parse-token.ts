import { LRUCache } from 'lru-cache';
import type { TimeClaim, TokenFailure } from '../failures/failure.js';
import { base64UrlLength, decodeBase64UrlStrict, decodeJsonObject } from './base64url.js';

const SUPPORTED_ALGS = new Set([
  'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA',
]);

/** A token that parsed in ESPv2's order; every claim has its checked type. */
export interface ParsedToken {
  /** The three sections as used for the signature (empty sections dropped). */
  readonly compact: string;
  readonly headerSegment: string;
  readonly payloadSegment: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly alg: string;
  /** Empty when absent. */
  readonly kid: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Empty when absent. */
  readonly iss: string;
  /** Whole seconds, 0 when absent. (`sub` and `iat` are checked for their type and kept in `payload` only.) */
  readonly nbf: number;
  readonly exp: number;
  readonly audiences: readonly string[];
  /** Bytes in the signature (decoded by jose when it verifies). */
  readonly signatureLength: number;
}

const TWO_TO_64 = 2 ** 64;

/**
 * Parses a token as jwt_verify_lib does, returning the first failure in its order: sections, header
 * (base64url, JSON, alg, kid), payload (base64url, JSON, iss, sub, iat, nbf, exp, jti, aud), signature.
 */
export function parseToken(token: string): ParsedToken | TokenFailure {
  const sections = token.split('.');
  const parts = sections.filter((p) => p !== '');
  if (parts.length !== 3) return { kind: 'jwt_bad_format' };
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];

  const head = readHeader(headerSegment);
  if ('kind' in head) return head;
  const { header, alg, kid } = head;

  const payloadBytes = decodeBase64UrlStrict(payloadSegment);
  if (!payloadBytes) return { kind: 'payload_bad_base64' };
  const payload = decodeJsonObject(payloadBytes);
  if (!payload) return { kind: 'payload_bad_json' };
  for (const claim of ['iss', 'sub'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') return { kind: 'claim_not_string', claim };
  }
  // In jwt_verify_lib's order; iat is only checked (nothing reads it).
  const iat = readTime(payload.iat, 'iat');
  if (typeof iat === 'object') return iat;
  const nbf = readTime(payload.nbf, 'nbf');
  if (typeof nbf === 'object') return nbf;
  const exp = readTime(payload.exp, 'exp');
  if (typeof exp === 'object') return exp;
  if (payload.jti !== undefined && typeof payload.jti !== 'string') return { kind: 'claim_not_string', claim: 'jti' };
  const audiences = readAudiences(payload.aud);
  if (!audiences) return { kind: 'aud_bad_type' };

  // Only its validity and length matter here; jose decodes it when it verifies.
  const signatureLength = base64UrlLength(signatureSegment);
  if (signatureLength === undefined) return { kind: 'signature_bad_base64' };

  return {
    // The token itself when no section was empty (the usual case): no new string to build and copy.
    compact: sections.length === 3 ? token : `${headerSegment}.${payloadSegment}.${signatureSegment}`,
    headerSegment,
    payloadSegment,
    header,
    alg,
    kid,
    payload,
    iss: typeof payload.iss === 'string' ? payload.iss : '',
    nbf,
    exp,
    audiences,
    signatureLength,
  };
}

interface Header {
  readonly header: Readonly<Record<string, unknown>>;
  readonly alg: string;
  readonly kid: string;
}

/**
 * Every token of an issuer's key carries the same header segment, so the headers that parsed are kept
 * (a few, by segment) and a new token's header costs one lookup instead of a decode. Only valid headers
 * are kept: what a client makes up never displaces them for long, and never changes an answer.
 */
const headers = new LRUCache<string, Header>({ max: 64 });

function readHeader(segment: string): Header | TokenFailure {
  const known = headers.get(segment);
  if (known) return known;
  const bytes = decodeBase64UrlStrict(segment);
  if (!bytes) return { kind: 'header_bad_base64' };
  const header = decodeJsonObject(bytes);
  if (!header) return { kind: 'header_bad_json' };
  const alg = header.alg;
  if (typeof alg !== 'string') return { kind: 'header_bad_alg' };
  if (!SUPPORTED_ALGS.has(alg)) return { kind: 'header_alg_not_supported' };
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') return { kind: 'header_bad_kid' };
  const parsed: Header = { header: Object.freeze(header), alg, kid: kid ?? '' };
  headers.set(segment, parsed);
  return parsed;
}

/** A number (whole seconds after truncation, as jwt_verify_lib casts it) in [0, 2^64). */
function readTime(value: unknown, claim: TimeClaim): number | TokenFailure {
  if (value === undefined) return 0;
  if (typeof value !== 'number') return { kind: 'claim_not_integer', claim };
  if (!(value >= 0 && value < TWO_TO_64)) return { kind: 'claim_out_of_range', claim };
  return Math.trunc(value);
}

function readAudiences(value: unknown): readonly string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}
