import type { Config } from '../../kernel/config.js';
import type { Esp1JwtFailure } from '../../failures/failure.js';
import { KeyDownloadError } from '../../errors/key-download-error.js';
import { download, type DownloadOptions } from '../../keys/download.js';
import type { Provider } from '../../openapi/model.js';
import { parseGrpcJson, stringMember } from './grpc-json.js';
import { normalizeAudience as stripUrl } from '../../requirements/audiences.js';
import type { Result } from '../../kernel/result.js';
import { messageOf } from '../../kernel/message-of.js';

type KeyAnswer = Result<{ text: string }, Esp1JwtFailure>;

/**
 * Where an issuer's keys are: a URL, OpenID discovery at the document's spelling of the issuer, or
 * nowhere for now (a failed discovery, until `retryAt` on the `now` clock).
 */
type KeyUri =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'discover'; readonly issuer: string }
  | { readonly kind: 'unknown'; readonly retry?: { readonly issuer: string; readonly at: number } };

/** How long a failed OpenID discovery is remembered before the next request tries again, in ms. */
const DISCOVERY_RETRY_MS = 30_000;

/**
 * ESP v1's key handling (check_auth.cc InitKey .. PostFetchPubKey, config.cc GetJwksUri):
 * - the key document is cached for the cache lifetime, and a failed download after expiry is a
 *   failure: no stale keys;
 * - the key URL is found by the stripped `iss`: `x-google-jwks_uri`, else OpenID discovery (`https://`
 *   before the issuer when it has no scheme, a `/` after it when missing, then
 *   `.well-known/openid-configuration`); a discovered URL is kept;
 * - an OpenAPI 3 `openIdConnectUrl` and per-scheme `x-google-jwks_cache_duration_in_s` are not read:
 *   ESP v1 has neither (its service config carries a key URL or nothing, and one cache lifetime).
 * Ours, where ESP v1 is unsafe: discovery is built from the issuer as the document writes it, never from
 * the token's spelling (ESP v1 used the token's raw `iss`, so `iss: http://<issuer host>` had keys
 * fetched over plain HTTP from whoever answered there), and keys are cached by the stripped issuer, one
 * set per issuer of the document; a failed discovery is remembered for 30 s, not for the life of the
 * process. One download at a time per issuer serves every waiting request.
 */
export class Esp1Keys {
  private readonly uris = new Map<string, KeyUri>();
  private readonly certs = new Map<string, { readonly text: string; readonly expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<KeyAnswer>>();
  /** The last download error by stripped issuer, for `ready()` to reject with. */
  private readonly errors = new Map<string, KeyDownloadError>();
  private readonly abort = new AbortController();
  private readonly download: DownloadOptions;

  constructor(
    private readonly providers: readonly Provider[],
    private readonly config: Config,
  ) {
    // Providers sharing a stripped issuer share one entry; the last one written wins, as in ESP.
    for (const p of providers) this.uris.set(stripUrl(p.issuer), p.keySource.kind === 'url' ? { kind: 'url', url: p.keySource.url } : { kind: 'discover', issuer: p.issuer });
    this.download = {
      fetch: config.fetch,
      timeoutMs: config.keyFetchTimeoutMs,
      maxBytes: config.keyFetchMaxBytes,
      crossHostRedirects: false,
      // nginx's fetch follows no redirect: a 3xx is an answer with its status code.
      maxRedirects: 0,
      signal: this.abort.signal,
    };
    for (const [issuer, material] of Object.entries(config.keys)) {
      this.certs.set(stripUrl(issuer), { text: typeof material === 'string' ? material : JSON.stringify(material), expiresAt: this.expiry() });
    }
  }

  /** The key document for an issuer, however the token spells it: what the document says decides where from. */
  get(issuer: string): Promise<KeyAnswer> {
    const stripped = stripUrl(issuer);
    const cert = this.certs.get(stripped);
    if (cert && this.config.now() <= cert.expiresAt) return Promise.resolve({ ok: true, text: cert.text });
    let p = this.inflight.get(stripped);
    if (!p) {
      p = this.load(stripped).finally(() => this.inflight.delete(stripped));
      this.inflight.set(stripped, p);
    }
    return p;
  }

  /** Loads the keys of every provider; rejects with ESP's reason when one fails. */
  async ready(): Promise<void> {
    for (const p of this.providers) {
      const r = await this.get(p.issuer);
      if (!r.ok) throw this.errors.get(stripUrl(p.issuer)) ?? new KeyDownloadError(`espresso-jwt: keys for ${p.issuer} could not be loaded (${r.failure.kind})`);
    }
  }

  close(): void {
    this.abort.abort();
  }

  private expiry(): number {
    return this.config.now() + this.config.jwksCacheSeconds * 1000;
  }

  private async load(stripped: string): Promise<KeyAnswer> {
    let uri = this.uris.get(stripped) ?? { kind: 'unknown' };
    if (uri.kind === 'unknown' && uri.retry && this.config.now() >= uri.retry.at) uri = { kind: 'discover', issuer: uri.retry.issuer };
    let url: string;
    if (uri.kind === 'unknown') return { ok: false, failure: { kind: 'key_uri_unknown' } };
    if (uri.kind === 'url') url = uri.url;
    else {
      const found = await this.discover(uri.issuer);
      if (!found.ok) {
        this.uris.set(stripped, { kind: 'unknown', retry: { issuer: uri.issuer, at: this.config.now() + DISCOVERY_RETRY_MS } });
        return found;
      }
      url = found.url;
      this.uris.set(stripped, { kind: 'url', url });
    }
    try {
      const { text } = await download(url, this.download);
      if (text === '') return { ok: false, failure: { kind: 'key_fetch_failed', httpStatus: undefined, detail: `${url} answered an empty body` } };
      this.certs.set(stripped, { text, expiresAt: this.expiry() });
      this.errors.delete(stripped);
      return { ok: true, text };
    } catch (e) {
      const { status, detail } = this.reason(stripped, e);
      this.config.logger?.warn?.(`espresso-jwt: keys of ${stripped} could not be downloaded: ${detail}`);
      return { ok: false, failure: { kind: 'key_fetch_failed', httpStatus: status, detail } };
    }
  }

  private async discover(issuer: string): Promise<Result<{ url: string }, Esp1JwtFailure>> {
    let base = issuer.startsWith('https://') || issuer.startsWith('http://') ? issuer : `https://${issuer}`;
    if (!base.endsWith('/')) base += '/';
    const address = `${base}.well-known/openid-configuration`;
    let text: string;
    try {
      ({ text } = await download(address, this.download));
    } catch (e) {
      const { status, detail } = this.reason(stripUrl(issuer), e);
      this.config.logger?.warn?.(`espresso-jwt: OpenID discovery for ${issuer} failed: ${detail}; tried again in ${DISCOVERY_RETRY_MS / 1000} s`);
      return { ok: false, failure: { kind: 'discovery_fetch_failed', httpStatus: status, detail } };
    }
    const url = stringMember(parseGrpcJson(text), 'jwks_uri');
    if (url === undefined) return { ok: false, failure: { kind: 'discovery_parse_failed' } };
    return { ok: true, url };
  }

  /** What a failed download tells ESP's answer, the error kept for `ready()`. */
  private reason(stripped: string, e: unknown): { status: number | undefined; detail: string } {
    const error = e instanceof KeyDownloadError ? e : new KeyDownloadError(messageOf(e), { cause: e });
    this.errors.set(stripped, error);
    return { status: error.status, detail: error.message };
  }
}
