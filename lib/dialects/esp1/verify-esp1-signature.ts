import { base64url, importJWK, importX509, type JWK } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Esp1JwtFailure } from '../../failures/failure.js';
import { jwsVerifier, type JwsVerifier } from '../../verify/jws-verifier.js';
import { asciiBytes } from '../../verify/base64url.js';
import { decodeGrpcBase64 } from './grpc-base64.js';
import { member, parseGrpcJson, stringMember, type JsonNode } from './grpc-json.js';
import { isEs256, type Esp1Token } from './parse-esp1-token.js';
import type { Result } from '../../kernel/result.js';

type Verdict = Result<Record<never, never>, Esp1JwtFailure>;
const OK: Verdict = Object.freeze({ ok: true });
const fail = (failure: Esp1JwtFailure): Verdict => ({ ok: false, failure });

/**
 * ESP v1's signature check against the key document of the token's issuer, as
 * auth_jwt_validator.cc reads it for the token's `alg` (the document is kept as text and read anew):
 * - HS*: the whole document, base64url-decoded, is the secret;
 * - RS* and ES256: JSON; with `keys`, a JWKS in which keys without `kid` are skipped and, when the
 *   token has a `kid`, the first key with that `kid` and a fitting `kty` decides alone; without
 *   `keys`, an X.509 map `{kid: PEM}` (ES256 needs a JWKS). JWK `alg` and `use` are ignored.
 * jose imports every key; the platform's verifier (verify/jws-verifier.ts) checks every signature.
 * What ESP v1 reads anew each time is a function of the text alone, so it is worked out once: the
 * document's parse per text, and each key's import and verifier per key material and algorithm.
 */
export async function verifyEsp1Signature(token: Esp1Token, keyText: string): Promise<Verdict> {
  if (!token.alg.startsWith('RS') && !isEs256(token.alg)) {
    const secret = decodeGrpcBase64(keyText);
    if (!secret) return fail({ kind: 'hs_key_bad_base64' });
    return (await verifies(token, secret)) ? OK : fail({ kind: 'verification_failed' });
  }
  const doc = parsedDocument(keyText);
  if (!doc) return fail({ kind: 'key_json_invalid' });
  const keys = member(doc, 'keys');
  if (keys === undefined) return isEs256(token.alg) ? fail({ kind: 'jwks_keys_missing' }) : verifyX509Map(token, doc);
  return verifyJwks(token, keys);
}

async function verifyX509Map(token: Esp1Token, doc: JsonNode): Promise<Verdict> {
  if (token.kid !== undefined) {
    const pem = stringMember(doc, token.kid);
    if (pem === undefined) return fail({ kind: 'kid_not_in_x509', kid: token.kid });
    const key = await verifierOf(token.alg, `x509\n${pem}`, () => importX509(pem, token.alg));
    if (!key) return fail({ kind: 'x509_extract_failed', kid: token.kid });
    return (await verifies(token, key)) ? OK : fail({ kind: 'verification_failed' });
  }
  const entries = doc.t === 'object' ? doc.members : doc.t === 'array' ? doc.items.map((v) => ['', v] as const) : [];
  if (entries.length === 0) return fail({ kind: 'x509_extract_failed', kid: '' });
  for (const [, value] of entries) {
    if (value.t !== 'string') continue;
    const pem = value.value;
    const key = await verifierOf(token.alg, `x509\n${pem}`, () => importX509(pem, token.alg));
    if (key && (await verifies(token, key))) return OK;
  }
  return fail({ kind: 'no_key_verifies' });
}

async function verifyJwks(token: Esp1Token, keys: JsonNode): Promise<Verdict> {
  if (keys.t !== 'array') return fail({ kind: 'jwks_keys_not_list' });
  if (keys.items.length === 0) return fail({ kind: 'jwks_empty' });
  for (const jwk of keys.items) {
    const kid = stringMember(jwk, 'kid');
    if (kid === undefined || (token.kid !== undefined && kid !== token.kid)) continue;
    const kty = stringMember(jwk, 'kty');
    if (kty === undefined || (token.alg.startsWith('RS') && !kty.startsWith('RSA')) || (isEs256(token.alg) && !kty.startsWith('EC'))) continue;
    const key = await importEsp1Jwk(jwk, token.alg);
    if (!key) continue;
    if (token.kid !== undefined) return (await verifies(token, key)) ? OK : fail({ kind: 'verification_failed' });
    if (await verifies(token, key)) return OK;
  }
  return fail(token.kid !== undefined ? { kind: 'kid_not_in_jwks', kid: token.kid } : { kind: 'no_key_verifies' });
}

/**
 * RSA from `n` and `e`, or a P-256 point from `x` and `y` whatever `crv` says, numbers read by gRPC's
 * decoder; kept by the members' text, so that a key is read and imported once.
 */
async function importEsp1Jwk(jwk: JsonNode, alg: string): Promise<Imported | undefined> {
  const es256 = isEs256(alg);
  const [a, b] = es256 ? [stringMember(jwk, 'x'), stringMember(jwk, 'y')] : [stringMember(jwk, 'n'), stringMember(jwk, 'e')];
  if (a === undefined || b === undefined) return undefined;
  return verifierOf(alg, `jwk\n${a}\n${b}`, async () => {
    const number = (text: string) => {
      const bytes = decodeGrpcBase64(text);
      return bytes && base64url.encode(bytes);
    };
    const material = es256 ? withAll({ kty: 'EC', crv: 'P-256', x: number(a), y: number(b) }) : withAll({ kty: 'RSA', n: number(a), e: number(b) });
    if (!material) throw new Error('a key number is not base64');
    return (await importJWK(material, es256 ? 'ES256' : alg)) as CryptoKey;
  });
}

function withAll(jwk: Record<string, string | undefined>): JWK | undefined {
  return Object.values(jwk).every((v) => v !== undefined) ? (jwk as JWK) : undefined;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** A key that imported, with the platform's verifier for one algorithm (none when the key cannot serve it, as an RSA key under 2048 bits). */
interface Imported {
  readonly verifier: JwsVerifier | undefined;
}

/**
 * The signature over the token's first two sections, as received. Sections with characters outside
 * ASCII never verify (as under jose's compactVerify before): Node reads header bytes as Latin-1, so
 * no encoding of such text gives back the bytes that were signed.
 */
async function verifies(token: Esp1Token, key: Imported | Uint8Array): Promise<boolean> {
  if (NON_ASCII.test(token.signedPart)) return false;
  const verifier = key instanceof Uint8Array ? await jwsVerifier(token.alg, key) : key.verifier;
  return verifier !== undefined && verifier(asciiBytes(token.signedPart), token.signature);
}

/** Key documents by text: a parse is kept while its text is (a failed one too: it is undefined). */
const documents = new LRUCache<string, { readonly doc: JsonNode | undefined }>({ max: 8 });

function parsedDocument(text: string): JsonNode | undefined {
  let entry = documents.get(text);
  if (!entry) documents.set(text, (entry = { doc: parseGrpcJson(text) }));
  return entry.doc;
}

/**
 * Keys by algorithm and key material (a JWK's numbers, a PEM), imported with their verifier once, not
 * per token; undefined when the import failed.
 */
const verifiers = new LRUCache<string, Promise<Imported | undefined>>({ max: 256 });

function verifierOf(alg: string, material: string, importKey: () => Promise<CryptoKey>): Promise<Imported | undefined> {
  const key = `${alg}\n${material}`;
  let made = verifiers.get(key);
  if (!made) {
    made = importKey().then(
      async (imported) => ({ verifier: await jwsVerifier(alg, imported) }),
      () => undefined,
    );
    verifiers.set(key, made);
  }
  return made;
}
