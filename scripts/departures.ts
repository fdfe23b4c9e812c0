import { fileURLToPath } from 'node:url';

/**
 * Where espresso-jwt refuses what ESPv2's JWT code (google/jwt_verify_lib, as Envoy's jwt_authn runs it)
 * accepts, on purpose. Every departure is stricter, never more permissive. One list for three readers:
 * docs/esp-compatibility.md and docs/security.md render it (`npm run docs:compat`), and the differential
 * test against jwt_verify_lib (spec/oracle) accepts a disagreement only of these root causes, named by
 * the oracle's class codes.
 */
export interface Departure {
  /**
   * The differential oracle's root-cause class (classes.mjs), or for a departure its generator does not
   * reach, a name of ours.
   */
  readonly code: string;
  readonly what: string;
  /** What ESPv2 does with it. */
  readonly espv2: string;
  /** What espresso-jwt answers. */
  readonly ours: string;
  readonly why: string;
}

export const DEPARTURES: readonly Departure[] = [
  {
    code: 'A1',
    what: 'A token whose `alg` is not HS256/384/512 but whose signature is an HMAC, and an `oct` key without `alg`',
    espv2: 'accepts: the key type picks the algorithm, the token\'s `alg` only the hash',
    ours: '401 `Jwt verification fails`',
    why: 'A key verifies only the algorithm the token names (RFC 7515), so a secret never stands in for a public-key signature.',
  },
  {
    code: 'A2',
    what: 'An EC or OKP key without `alg` facing a token of another family or curve (RS256 signed with a P-256 key, ES384 with a P-256 key)',
    espv2: 'accepts',
    ours: '401 `Jwt verification fails`',
    why: 'RFC 7518 ties each ES algorithm to one curve; the key type and curve must fit the token\'s `alg`.',
  },
  {
    code: 'A3',
    what: 'An ECDSA signature that is not exactly twice the coordinate length (a byte added, halves zero-padded or short)',
    espv2: 'accepts: it splits the signature in two halves of any length',
    ours: '401 `Jwt verification fails`',
    why: 'RFC 7518 fixes the length of `r‖s`; several encodings of one signature make tokens malleable.',
  },
  {
    code: 'A4',
    what: 'An RSA key under 2048 bits',
    espv2: 'accepts signatures made with it',
    ours: '401 `Jwt verification fails`',
    why: 'RFC 7518 requires 2048 bits or more, and jose enforces it.',
  },
  {
    code: 'PSS-SALT',
    what: 'A PS256/384/512 signature whose PSS salt is not as long as the hash',
    espv2: 'accepts any salt length',
    ours: '401 `Jwt verification fails`',
    why: 'RFC 7518 fixes the salt length to the hash size, and WebCrypto (the Edge and workerd builds) can only check a given length, so every runtime answers alike.',
  },
  {
    code: 'A5',
    what: 'A token header with `crit`, or `b64` other than `true`',
    espv2: 'ignores both',
    ours: '401 `Jwt verification fails` (`Jwks doesn\'t have key to match kid or alg from Jwt` when no key is a candidate)',
    why: 'RFC 7515 requires refusing extensions one does not understand; with RFC 7797\'s unencoded payload the signed bytes would not be the claims read.',
  },
  {
    code: 'A6',
    what: 'White space inside a token section (`Bearer <token> extra`, a space or tab inside the signature)',
    espv2: 'skips white space while decoding base64',
    ours: '401 `Jwt ... is an invalid Base64url encoded`',
    why: 'A compact JWS has no white space; a text that decodes only after dropping some is read differently by other parsers.',
  },
  {
    code: 'B1',
    what: 'protobuf\'s legacy JSON in a token section or a key document: trailing commas, single quotes, bare names, raw control characters in strings, a top-level `null`',
    espv2: 'accepts (protobuf\'s reader runs with legacy syntax on)',
    ours: '401 `Jwt header is an invalid JSON`, `Jwt payload is an invalid JSON`, or `Jwks remote fetch is failed` for a key document',
    why: 'Only standard JSON (RFC 8259) is read, so the backend\'s JSON parser reads the same claims from `X-Endpoint-API-UserInfo`.',
  },
];

const escape = (text: string) => text.replace(/\|/g, '\\|');

/** The departures as a Markdown table, the same in both documents that show it. */
export function renderDepartures(): string {
  const rows = DEPARTURES.map((d) => `| ${escape(d.what)} | ${escape(d.espv2)} | ${escape(d.ours)} | ${escape(d.why)} |`);
  return ['| What | ESPv2 | espresso-jwt | Why |', '|---|---|---|---|', ...rows].join('\n');
}

export const SECURITY_DOC = fileURLToPath(new URL('../docs/security.md', import.meta.url));
const START = '<!-- departures: written by npm run docs:compat from scripts/departures.ts -->';
const END = '<!-- end of departures -->';

/** docs/security.md (its text given) with the departures table written between its two markers. */
export function withDepartures(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/security.md lacks the markers ${START} ... ${END}`);
  return `${doc.slice(0, start + START.length)}\n${renderDepartures()}\n${doc.slice(end)}`;
}
