import type { TokenLocation } from '../openapi/model.js';
import type { RequestView } from '../kernel/request-view.js';

/**
 * Every token a provider's locations hold, in extraction order (ESPv2: header locations, then query
 * parameters, then cookies, each group in the provider's sorted order; every value of a repeated
 * header). ESPv2 verifies them in the reverse order and requires all to be valid.
 */
export function extractTokens(view: RequestView, locations: readonly TokenLocation[]): string[] {
  const out: string[] = [];
  for (const location of locations) {
    switch (location.in) {
      case 'header':
        for (const value of view.headerValues(location.name)) {
          const token = fromHeaderValue(value, location.prefix);
          if (token !== undefined) out.push(token);
        }
        break;
      case 'query': {
        const value = view.query(location.name);
        if (value !== null) out.push(value);
        break;
      }
      case 'cookie': {
        const value = view.cookie(location.name);
        if (value !== undefined && value !== '') out.push(value);
        break;
      }
    }
  }
  return out;
}

const TOKEN_CHAR = /[A-Za-z0-9\-_.]/;

/**
 * Envoy's rule: the prefix (case sensitive) may stand anywhere in the value; the token starts at the
 * first base64url or "." character after it and runs to the end of the value. With no such character
 * the whole value is the token. Without a prefix the whole value is the token.
 */
function fromHeaderValue(value: string, prefix: string): string | undefined {
  if (prefix === '') return value;
  const at = value.indexOf(prefix);
  if (at === -1) return undefined;
  for (let i = at + prefix.length; i < value.length; i++) {
    if (TOKEN_CHAR.test(value[i]!)) return value.slice(i);
  }
  return value;
}
