import type { Provider } from '../openapi/model.js';
import { KeySourceCache, type KeySourceOptions } from './key-source.js';

export type KeyStoreOptions = Omit<KeySourceOptions, 'cacheSeconds' | 'preloaded'> & {
  readonly defaultCacheSeconds: number;
  /** `keys` option: key material by issuer. */
  readonly preloaded: Readonly<Record<string, unknown>>;
};

/**
 * Every provider's keys, one cache per key address (providers naming the same URL share downloads).
 * The shortest lifetime asked for an address wins.
 */
export class KeyStore {
  private readonly caches = new Map<string, KeySourceCache>();
  private readonly byProvider = new Map<Provider, KeySourceCache>();

  constructor(providers: Iterable<Provider>, options: KeyStoreOptions) {
    const list = [...providers];
    // Providers share a cache when they name the same key address, unless the `keys` option preloads
    // one's issuer (its cache starts from that material).
    const idOf = (p: Provider) => `${p.keySource.kind} ${p.keySource.url} ${Object.hasOwn(options.preloaded, p.issuer) ? p.issuer : ''}`;
    for (const provider of list) {
      const id = idOf(provider);
      let cache = this.caches.get(id);
      if (!cache) {
        const sharing = list.filter((p) => idOf(p) === id);
        const cacheSeconds = Math.min(...sharing.map((p) => p.cacheSeconds ?? options.defaultCacheSeconds));
        cache = new KeySourceCache(provider.keySource, {
          ...options,
          cacheSeconds,
          preloaded: Object.hasOwn(options.preloaded, provider.issuer) ? { issuer: provider.issuer, material: options.preloaded[provider.issuer] } : undefined,
        });
        this.caches.set(id, cache);
      }
      this.byProvider.set(provider, cache);
    }
    // A misspelt issuer would leave its keys unused without a word.
    for (const issuer of Object.keys(options.preloaded)) {
      if (!list.some((p) => p.issuer === issuer)) options.logger?.warn?.(`espresso-jwt: the keys option names issuer ${JSON.stringify(issuer)}, which no provider of the document has`);
    }
  }

  for(provider: Provider): KeySourceCache {
    const cache = this.byProvider.get(provider);
    if (!cache) throw new Error(`no key source for provider ${provider.name}`);
    return cache;
  }

  async ready(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.ready()));
  }

  close(): void {
    for (const c of this.caches.values()) c.close();
  }

  /** Downloads made so far, over every address. */
  get downloads(): number {
    let n = 0;
    for (const c of this.caches.values()) n += c.downloads;
    return n;
  }
}
