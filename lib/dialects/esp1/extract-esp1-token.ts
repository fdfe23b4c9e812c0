import type { RequestView } from '../../kernel/request-view.js';

/**
 * What ESP v1 does with an `Authorization` value that does not start with `Bearer ` (case sensitive)
 * followed by something: from v1.37 the whole value is the token, up to v1.36 there is no token.
 */
export type BearerRule = 'whole-value' | 'no-token';

const BEARER = 'Bearer ';

/**
 * ESP v1's one token (check_auth.cc GetAuthToken), "" when there is none: the
 * `X-Goog-Iap-Jwt-Assertion` header as is; else the `Authorization` header by the generation's rule;
 * only when there is no `Authorization`, the `access_token` query parameter. nginx finds the first
 * header of a name and an empty value counts as absent.
 */
export function extractEsp1Token(view: RequestView, rule: BearerRule): string {
  const iap = view.firstHeaderValue('x-goog-iap-jwt-assertion');
  if (iap) return iap;
  const authorization = view.firstHeaderValue('authorization');
  if (!authorization) return accessToken(view.url);
  if (authorization.length > BEARER.length && authorization.startsWith(BEARER)) return authorization.slice(BEARER.length);
  return rule === 'whole-value' ? authorization : '';
}

/** nginx's ngx_http_arg: the first `access_token=` argument, name matched case-insensitively, value raw. */
function accessToken(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return '';
  for (const arg of url.slice(q + 1).split('&')) {
    const eq = arg.indexOf('=');
    if (eq !== -1 && arg.slice(0, eq).toLowerCase() === 'access_token') return arg.slice(eq + 1);
  }
  return '';
}
