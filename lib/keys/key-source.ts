import type { KeySource } from '../openapi/model.js';
import type { Logger } from '../kernel/config.js';
import { discoverJwksUri } from './discover-jwks-uri.js';
import { plural } from '../kernel/plural.js';
import { KeyDownloadError } from '../errors/key-download-error.js';
import { download, type DownloadOptions } from './download.js';
import { parseKeySet, type ParsedKeySet } from './parse-key-set.js';
import { KeySet } from './key-set.js';
import { messageOf } from '../kernel/message-of.js';
import { LONGEST_TIMER_MS } from '../kernel/longest-timer.js';

export interface KeySourceOptions extends Omit<DownloadOptions, 'signal'> {
  readonly cacheSeconds: number;
  readonly unknownKidCooldownMs: number;
  readonly logger: Logger | undefined;
  /** Key material given up front (the `keys` option) for an issuer: used with no download. */
  readonly preloaded: { readonly issuer: string; readonly material: unknown } | undefined;
  /** Milliseconds on a monotonic clock. */
  readonly clock: () => number;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

/**
 * The keys behind one key URL (or one OpenID discovery address), shared by every provider that names
 * it. One download at a time serves every waiting request; cached keys, fresh or stale, are answered
 * without waiting; keys are refreshed in the background before they expire; a failed refresh keeps
 * the previous keys and is retried with backoff; an unknown `kid` may force one refresh per cooldown.
 */
export class KeySourceCache {
  private current: KeySet | undefined;
  private freshUntil = 0;
  private inflight: Promise<KeySet> | undefined;
  private lastError: KeyDownloadError | undefined;
  private retryAt = 0;
  private failures = 0;
  private lastForced = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  private closed = false;
  /** Downloads made (key documents and discovery documents), for tests and logs. */
  downloads = 0;

  constructor(
    readonly source: KeySource,
    private readonly options: KeySourceOptions,
  ) {
    if (options.preloaded) this.track(this.installPreloaded(options.preloaded.issuer, options.preloaded.material));
  }

  /**
   * The keys to verify with now. Cached keys are answered at once, even past their lifetime (a stale
   * set also starts a background refresh, should the timer have been late); with nothing cached, the
   * download under way or a new one, unless the last one failed within its backoff.
   */
  get(): KeySet | Promise<KeySet> {
    const now = this.options.clock();
    if (this.current) {
      if (now >= this.freshUntil && now >= this.retryAt) this.refresh().catch(() => {});
      return this.current;
    }
    if (this.inflight) return this.inflight;
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
    return this.track(this.load());
  }

  /** Makes `p` the one load under way until it settles. */
  private track(p: Promise<KeySet>): Promise<KeySet> {
    this.inflight = p;
    p.catch(() => {}).finally(() => {
      if (this.inflight === p) this.inflight = undefined;
    });
    return p;
  }

  /** The `keys` option's material; when it cannot be used, the reason is logged and the keys are downloaded. */
  private async installPreloaded(issuer: string, material: unknown): Promise<KeySet> {
    const text = typeof material === 'string' ? material : JSON.stringify(material);
    try {
      return await this.install(parseKeySet(text, { pem: true }), `the keys option for ${issuer}`, undefined);
    } catch (e) {
      this.options.logger?.error?.(`espresso-jwt: ${messageOf(e)}; downloading from ${this.source.url} instead`);
      return this.load();
    }
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
      return await this.install(parseKeySet(text, { pem: false }), url, maxAgeSeconds);
    } catch (e) {
      const error = e instanceof KeyDownloadError ? e : new KeyDownloadError(`${url}: ${messageOf(e)}`, { url, cause: e });
      if (this.closed) throw error;
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
    if (!parsed.ok) throw new KeyDownloadError(`${from}: ${parsed.error}`, { url: from });
    for (const skipped of parsed.skipped) this.options.logger?.warn?.(`espresso-jwt: ${from}: skipped ${skipped}`);
    const set = this.current ? this.current.carryOver(parsed.keys) : new KeySet(parsed.keys);
    let lifetime = this.options.cacheSeconds * 1000;
    // A shorter max-age from the server wins. max-age=0 asks to revalidate before each use, which for a
    // key set would mean a download per request: it is read as no lifetime at all.
    if (maxAgeSeconds) lifetime = Math.min(lifetime, maxAgeSeconds * 1000);
    this.current = set;
    this.failures = 0;
    this.lastError = undefined;
    this.freshUntil = this.options.clock() + lifetime;
    this.options.logger?.info?.(`espresso-jwt: loaded ${plural(set.keys.length, 'key')} (${parsed.format}) from ${from}, fresh for ${Math.round(lifetime / 1000)} s`);
    // Refresh ahead of expiry: 5 s ahead as ESPv2 does, less for short lifetimes so it never loops.
    this.schedule(lifetime - Math.min(5000, lifetime / 10));
    return set;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt(this.options.clock() + Math.max(0, delayMs));
  }

  /**
   * A refresh at `at` on the key store's clock. A lifetime longer than a timer can wait (about 24.8
   * days: Node fires a longer timer after 1 ms, which made a 30-day lifetime a download loop) is waited
   * out in several timers.
   */
  private wakeAt(at: number): void {
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.closed) return;
        // Woken early by the clamp (not by a timer's usual millisecond of slack): wait for the rest.
        if (at - this.options.clock() > 1000) return this.wakeAt(at);
        this.refresh().catch(() => {});
      },
      Math.min(LONGEST_TIMER_MS, Math.max(0, at - this.options.clock())),
    );
    // On Node a refresh must not keep the process alive; Workers and browsers give timers no unref.
    (this.timer as { unref?: () => void }).unref?.();
  }
}
