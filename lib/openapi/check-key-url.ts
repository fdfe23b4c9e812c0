import type { Problems } from './problems.js';

/**
 * Checks an address that keys (or an OpenID discovery document) are downloaded from: an absolute
 * http or https URL with a host. Anything else could never be fetched: every request would be refused
 * and the download retried forever, so it is an error at start-up, with the likely fix.
 */
export function checkKeyUrl(value: string, path: string, problems: Problems): void {
  const shown = JSON.stringify(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.error(path, `${shown} is not a URL: ${fixOf(value)}`);
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.error(path, `${shown} uses the scheme "${url.protocol.slice(0, -1)}": keys are downloaded over https (or http); ${url.host ? `write https://${url.host}${url.pathname}${url.search}` : 'write its https address'}`);
  } else if (!url.hostname) {
    problems.error(path, `${shown} has no host: write the whole address, such as https://www.googleapis.com/oauth2/v3/certs`);
  }
}

const WRITE_KEY_URL = 'write the absolute https URL of the key set (JWKS, X.509 certificate map or PEM), such as https://www.googleapis.com/oauth2/v3/certs';

/** What the author most likely meant; `otherwise` when nothing better can be said. */
function fixOf(value: string, otherwise = WRITE_KEY_URL): string {
  const scheme = /^(https?)(:\/?|\/\/?)(?!\/)/i.exec(value);
  if (scheme && !value.includes('://')) return `did you mean "${scheme[1]!.toLowerCase()}://${value.slice(scheme[0].length)}"?`;
  if (value.startsWith('/')) return 'it is a path; keys are downloaded from an absolute address: write the whole URL, such as https://www.googleapis.com/oauth2/v3/certs';
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(\/|$)/i.test(value)) return `did you mean "https://${value}"?`;
  return otherwise;
}

/**
 * Checks `x-google-issuer` where it is, or is meant to be, a URL. A token's `iss` must equal it
 * character for character, so a malformed one (`https//accounts.google.com`) is a warning; when the
 * keys are found through OpenID discovery at the issuer (`discovery`: no key URL is given), an issuer
 * that yields no address is an error.
 */
export function checkIssuer(issuer: string, path: string, discovery: string | undefined, problems: Problems): void {
  const shown = JSON.stringify(issuer);
  // A scheme with "//", or http(s) mistyped (`https//`, `http:/`); `host:port` is no URL but a name
  // that discovery puts https:// before.
  const urlLike = /^[a-z][a-z0-9+.-]*:\/\//i.test(issuer) || /^https?(:|\/\/)/i.test(issuer);
  if (urlLike) {
    let ok = false;
    try {
      const url = new URL(issuer);
      ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      ok = false;
    }
    if (ok) return;
    const message = `${shown} looks like a URL but is not one (${fixOf(issuer, 'an issuer URL is https://<host>[/path]')})`;
    if (discovery) problems.error(path, `${message}, and the keys are to be found through OpenID discovery at the issuer: fix it, or set x-google-jwks_uri`);
    else problems.warning(path, `${message}: a token's iss must equal it character for character`);
    return;
  }
  if (discovery === undefined) return;
  try {
    if (new URL(discovery).hostname) return;
  } catch {
    // reported below
  }
  problems.error(path, `${shown} gives no OpenID discovery address (${JSON.stringify(discovery)} is not a URL), and the document names no key URL: set x-google-jwks_uri`);
}
