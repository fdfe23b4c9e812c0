import type { KeySource } from '../openapi/model.js';
import type { Logger } from '../core/config.js';
import { discoverJwksUri } from './discover-jwks-uri.js';
import { download, KeyDownloadError, type DownloadOptions } from './download.js';
import { parseKeySet, type ParsedKeySet } from './parse-key-set.js';
import { KeySet } from './key-set.js';

export interface KeySourceOptions extends Omit<DownloadOptions, 'signal'> {
  readonly cacheSeconds: number;
  readonly unknownKidCooldownMs: number;
  readonly logger: Logger | undefined;
  /** Key material given up front (the `keys` option): used with no download. */
  readonly preloaded: unknown;
  /** Milliseconds on a monotonic clock. */
  readonly clock: () => number;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;
/** A server's `Cache-Control: max-age` may shorten the lifetime, but never below this. */
const MIN_SERVER_LIFETIME_MS = 5000;

/**
 * The keys behind one key URL (or one OpenID discovery address), shared by every provider that names
 * it. One download at a time serves every waiting request; fresh keys are answered without waiting;
 * keys are refreshed in the background before they expire; a failed refresh keeps the previous keys
 * and is retried with backoff; an unknown `kid` may force one refresh per cooldown.
 */
export class KeySourceCache {
  private current: KeySet | undefined;
  private freshUntil = 0;
  private inflight: Promise<KeySet> | undefined;
  private lastError: KeyDownloadError | undefined;
  private retryAt = 0;
  private failures = 0;
  private lastForced = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private closed = false;
  /** Downloads made (key documents and discovery documents), for tests and logs. */
  downloads = 0;

  constructor(
    readonly source: KeySource,
    private readonly options: KeySourceOptions,
  ) {
    if (options.preloaded !== undefined) {
      const text = typeof options.preloaded === 'string' ? options.preloaded : JSON.stringify(options.preloaded);
      this.inflight = this.install(parseKeySet(text), 'preloaded keys', undefined);
      this.inflight.catch(() => {}).finally(() => (this.inflight = undefined));
    }
  }

  /** The keys to verify with now: the cached set when fresh, else after a download (stale keys if it fails). */
  get(): KeySet | Promise<KeySet> {
    const now = this.options.clock();
    if (this.current && now < this.freshUntil) return this.current;
    if (this.inflight) return this.current ? this.inflight.catch(() => this.current!) : this.inflight;
    if (this.current) {
      if (now < this.retryAt) return this.current;
      return this.refresh().catch(() => this.current!);
    }
    if (this.lastError && now < this.retryAt) return Promise.reject(this.lastError);
    return this.refresh();
  }

  /** The current key set, fresh or stale, without loading anything. */
  peek(): KeySet | undefined {
    return this.current;
  }

  /** Refresh because a token names a `kid` the set lacks: at most once per cooldown, else undefined. */
  refreshForUnknownKid(): Promise<KeySet> | undefined {
    const now = this.options.clock();
    if (this.inflight) return this.inflight;
    if (now - this.lastForced < this.options.unknownKidCooldownMs) return undefined;
    this.lastForced = now;
    return this.refresh();
  }

  /** Loads now if nothing is cached; resolves when keys are there, rejects when they cannot be had. */
  async ready(): Promise<void> {
    await this.get();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
  }

  private refresh(): Promise<KeySet> {
    if (this.inflight) return this.inflight;
    if (this.closed) return Promise.reject(new KeyDownloadError('the key store is closed'));
    const p = this.load();
    this.inflight = p;
    p.catch(() => {}).finally(() => {
      if (this.inflight === p) this.inflight = undefined;
    });
    return p;
  }

  private async load(): Promise<KeySet> {
    const { logger } = this.options;
    const downloadOptions: DownloadOptions = { ...this.options, signal: this.abort.signal };
    let url = this.source.url;
    try {
      if (this.source.kind === 'discovery') {
        this.downloads++;
        url = await discoverJwksUri(this.source.url, downloadOptions);
      }
      this.downloads++;
      const { text, maxAgeSeconds } = await download(url, downloadOptions);
      return await this.install(parseKeySet(text), url, maxAgeSeconds);
    } catch (e) {
      const error = e instanceof KeyDownloadError ? e : new KeyDownloadError(`${url}: ${(e as Error)?.message ?? String(e)}`);
      this.failures++;
      this.lastError = error;
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
      this.retryAt = this.options.clock() + delay;
      logger?.warn?.(`espresso-jwt: keys from ${url} could not be loaded: ${error.message}${this.current ? '; the previous keys stay in use' : ''}; next try in ${delay} ms`);
      if (this.current) this.schedule(delay);
      throw error;
    }
  }

  private async install(parsing: Promise<ParsedKeySet>, from: string, maxAgeSeconds: number | undefined): Promise<KeySet> {
    const parsed = await parsing;
    if (!parsed.ok) throw new KeyDownloadError(`${from}: ${parsed.error}`);
    for (const skipped of parsed.skipped) this.options.logger?.warn?.(`espresso-jwt: ${from}: skipped ${skipped}`);
    const set = this.current ? this.current.carryOver(parsed.keys, parsed.format) : new KeySet(parsed.keys, parsed.format);
    let lifetime = this.options.cacheSeconds * 1000;
    if (maxAgeSeconds !== undefined) lifetime = Math.min(lifetime, Math.max(MIN_SERVER_LIFETIME_MS, maxAgeSeconds * 1000));
    this.current = set;
    this.failures = 0;
    this.lastError = undefined;
    this.freshUntil = this.options.clock() + lifetime;
    this.options.logger?.info?.(`espresso-jwt: loaded ${set.keys.length} key(s) (${parsed.format}) from ${from}, fresh for ${Math.round(lifetime / 1000)} s`);
    // Refresh ahead of expiry: 5 s ahead as ESPv2 does, less for short lifetimes so it never loops.
    this.schedule(lifetime - Math.min(5000, lifetime / 10));
    return set;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh().catch(() => {});
    }, Math.max(0, delayMs));
    this.timer.unref();
  }
}
