/**
 * The path and query a router routes on, from a request target as sent: the origin form (`/path?query`)
 * as is; the absolute form (`http://host/path?query`, which HTTP/1.1 servers must accept) without its
 * scheme and authority, as Express's router and Envoy both route it. `fragment` is true when the target
 * carries a `#`: clients never send one, and Node's legacy URL parser, which Express falls back to on
 * such a target, rewrites the path (a `\` becomes `/`), so such a target is refused rather than guessed.
 */
export interface RoutingPath {
  /** Path and query string; what the matcher reads. */
  readonly url: string;
  readonly fragment: boolean;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

export function routingPath(target: string): RoutingPath {
  let url = target;
  if (url.charCodeAt(0) !== 0x2f) {
    const scheme = ABSOLUTE.exec(url);
    if (scheme) url = url.slice(scheme[0].length) || '/';
    if (url.charCodeAt(0) === 0x3f) url = `/${url}`;
  }
  return { url, fragment: url.includes('#') };
}
