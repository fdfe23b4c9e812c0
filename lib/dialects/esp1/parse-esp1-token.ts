import type { Esp1JwtFailure } from '../../failures/failure.js';
import { decodeGrpcBase64 } from './grpc-base64.js';
import { parseGrpcJson, readGrpcJson, stringMember, writeGrpcJson, type JsonNode } from './grpc-json.js';

/** A token that passed ESP v1's parse (JwtValidator::Parse), with what the later steps need. */
export interface Esp1Token {
  readonly token: string;
  readonly alg: string;
  /** Undefined when absent or not a string (ESP v1 then treats the token as having no kid). */
  readonly kid: string | undefined;
  /** The token up to its second dot, as received: what the signature covers. */
  readonly signedPart: string;
  readonly signature: Uint8Array;
  readonly iss: string;
  readonly sub: string | undefined;
  /** The string `aud` values, de-duplicated and in byte order (ESP's std::set). */
  readonly audienceSet: readonly string[];
  /** The string `aud` values as the token lists them. */
  readonly audiences: readonly string[];
  /** `exp` in seconds; Infinity when absent. */
  readonly exp: number;
  /** The payload as an object (empty when it is JSON but not an object). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The payload re-written by gRPC, an array `aud` replaced by "" (what the user info carries). */
  readonly claimsJson: string;
  /** The first `email` member when it is a string, else "". */
  readonly email: string;
}

export interface ParseRules {
  readonly nowSeconds: number;
  readonly skewSeconds: number;
  /** ESP up to v1.36 refuses a token without `sub`. */
  readonly requireSubject: boolean;
}

const DIGESTS = new Set(['RS256', 'RS384', 'RS512', 'HS256', 'HS384', 'HS512']);
const STRING_CLAIMS = new Set(['sub', 'iss', 'aud', 'jti']);
const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf']);

/** ESP v1's algorithms: RS and HS 256/384/512, and anything that begins with "ES256" (read as ES256). */
const isEsp1Alg = (alg: string): boolean => DIGESTS.has(alg) || alg.startsWith('ES256');
export const isEs256 = (alg: string): boolean => alg.startsWith('ES256');

/**
 * ESP v1's parse, first failure wins (auth_jwt_validator.cc ParseImpl and FillUserInfoAndSetExp, with
 * gRPC's grpc_jwt_claims_from_json and grpc_jwt_claims_check): first dot, header base64 and JSON,
 * `alg`, second dot, claims base64 and JSON, claim types, `iss`, time, e-mail issuer, signature
 * base64, ES256 length, `aud`, and `sub` for ESP up to v1.36.
 */
export function parseEsp1Token(token: string, rules: ParseRules): Esp1Token | Esp1JwtFailure {
  const dot1 = token.indexOf('.');
  if (dot1 === -1) return { kind: 'jwt_bad_format' };
  const headerBytes = decodeGrpcBase64(token.slice(0, dot1));
  if (!headerBytes) return { kind: 'header_bad_base64' };
  const header = parseGrpcJson(headerBytes);
  if (!header) return { kind: 'header_bad_json' };
  // A header that is JSON but no object has no members (gRPC would crash on a non-empty list).
  const alg = stringMember(header, 'alg');
  if (alg === undefined) return { kind: 'header_bad_alg' };
  if (!isEsp1Alg(alg)) return { kind: 'header_alg_not_supported' };
  const kid = stringMember(header, 'kid');

  const dot2 = token.indexOf('.', dot1 + 1);
  if (dot2 === -1) return { kind: 'jwt_bad_format' };
  const payloadBytes = decodeGrpcBase64(token.slice(dot1 + 1, dot2));
  if (!payloadBytes) return { kind: 'payload_bad_base64' };
  const read = readGrpcJson(payloadBytes);
  if (!read) return { kind: 'payload_bad_json' };
  const payload = read.node;

  const members = payload.t === 'object' ? [...payload.members] : [];
  // The first `aud` gives the audiences; a list is then replaced by "" (UpdateAudience).
  const audAt = members.findIndex(([k]) => k === 'aud');
  const audiences: string[] = [];
  if (audAt !== -1) {
    const aud = members[audAt]![1];
    if (aud.t === 'string') audiences.push(aud.value);
    else if (aud.t === 'array') {
      for (const item of aud.items) if (item.t === 'string') audiences.push(item.value);
      members[audAt] = ['aud', { t: 'string', value: '' }];
    }
  }

  // Claim types: every occurrence is checked, the last one counts.
  let iss: string | undefined;
  let sub: string | undefined;
  let nbf = Number.NEGATIVE_INFINITY;
  let exp = Number.POSITIVE_INFINITY;
  for (const [name, value] of members) {
    if (STRING_CLAIMS.has(name)) {
      if (value.t !== 'string') return { kind: 'claims_bad_type' };
      if (name === 'iss') iss = value.value;
      if (name === 'sub') sub = value.value;
    } else if (TIME_CLAIMS.has(name)) {
      const seconds = value.t === 'number' ? strtol(value.text) : 0;
      if (seconds === 0) return { kind: 'claims_bad_type' };
      if (name === 'nbf') nbf = seconds;
      if (name === 'exp') exp = seconds;
    }
  }
  if (iss === undefined) return { kind: 'issuer_missing' };
  if (rules.nowSeconds + rules.skewSeconds < nbf) return { kind: 'not_yet_valid' };
  if (rules.nowSeconds - rules.skewSeconds > exp) return { kind: 'expired' };
  if (hasEmailDomain(iss) && sub !== undefined && sub !== iss) return { kind: 'email_subject_mismatch' };

  const signature = decodeGrpcBase64(token.slice(dot2 + 1));
  if (!signature) return { kind: 'signature_bad_base64' };
  if (isEs256(alg) && signature.length !== 64) return { kind: 'es256_signature_length' };
  if (audiences.length === 0) return { kind: 'audience_missing' };
  if (rules.requireSubject && sub === undefined) return { kind: 'subject_missing' };

  const claimsNode: JsonNode = { t: 'object', members };
  const parsed = read.value;
  return {
    token,
    alg,
    kid,
    signedPart: token.slice(0, dot2),
    signature,
    iss,
    sub,
    audienceSet: byteOrder([...new Set(audiences)]),
    audiences,
    exp,
    claims: typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {},
    claimsJson: writeGrpcJson(claimsNode),
    email: stringMember(claimsNode, 'email') ?? '',
  };
}

/** C's strtol on a JSON number's text: the leading integer part ("1.7e9" reads as 1). */
function strtol(text: string): number {
  return Number(/^-?\d+/.exec(text)![0]) || 0;
}

/** gRPC's e-mail issuer test: an "@" followed by at least one character. */
function hasEmailDomain(iss: string): boolean {
  const at = iss.indexOf('@');
  return at !== -1 && at < iss.length - 1;
}

const utf8 = new TextEncoder();

/** Sorted as C++ sorts std::string: by UTF-8 bytes (no Buffer, so that it runs on Workers too). */
function byteOrder(list: string[]): string[] {
  if (list.length < 2) return list;
  return list
    .map((s) => ({ s, bytes: utf8.encode(s) }))
    .sort((a, b) => compareBytes(a.bytes, b.bytes))
    .map(({ s }) => s);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

