import type { TokenLocation } from '../openapi/model.js';
import type { RequestView } from '../kernel/request-view.js';

/**
 * Every token a provider's locations hold, in extraction order (ESPv2: header locations, then query
 * parameters, then cookies, each group in the provider's sorted order; every value of a repeated
 * header). ESPv2 verifies them in the reverse order and requires all to be valid.
 */
export function extractTokens(view: RequestView, locations: readonly TokenLocation[]): readonly string[] {
  // Most requests carry one token: it goes in a list of its own size, grown only for a second.
  let found: string[] | undefined;
  for (let l = 0; l < locations.length; l++) {
    const location = locations[l]!;
    switch (location.in) {
      case 'header': {
        const values = view.headerValues(location.name);
        for (let v = 0; v < values.length; v++) {
          const token = fromHeaderValue(values[v]!, location.prefix);
          if (token !== undefined) found = withToken(found, token);
        }
        break;
      }
      case 'query': {
        const value = view.query(location.name);
        if (value !== null) found = withToken(found, value);
        break;
      }
      case 'cookie': {
        const value = view.cookie(location.name);
        if (value !== undefined && value !== '') found = withToken(found, value);
        break;
      }
    }
  }
  return found ?? NONE;
}

const NONE: readonly string[] = Object.freeze([]);

function withToken(found: string[] | undefined, token: string): string[] {
  if (found === undefined) return [token];
  found.push(token);
  return found;
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
