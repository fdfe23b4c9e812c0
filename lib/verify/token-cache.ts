import type { CacheStats } from './token-lru.js';
import type { KeyEntry } from '../keys/key-entry.js';
import type { KeySourceCache } from '../keys/key-source.js';
import type { ParsedToken } from './parse-token.js';
import { SecondSight } from './second-sight.js';
import { TokenLru } from './token-lru.js';

interface Verified {
  readonly parsed: ParsedToken;
  /** The key that verified the signature: the entry is void once that key leaves the key set. */
  readonly key: KeyEntry;
  /** The key cache it came from: providers sharing one share their verified tokens too. */
  readonly keys: KeySourceCache;
}

/**
 * Tokens whose signature was verified, per key cache, so that a repeated token costs no parse and no
 * signature check. Issuer, time and audience still run on every hit; an entry is dropped when its
 * token has expired or when the key that verified it is no longer in the provider's key set.
 *
 * Once the cache is full, a verified token takes an entry only when it comes back while a plain LRU
 * of this size would still have held it (SecondSight: within the last half to whole cache-size of
 * verifications): traffic where most tokens are seen once (a new token per request) would otherwise
 * only push out the tokens that do come back, and keep the garbage collector busy moving entries that
 * are never read. No answer depends on it: under ESPv2's rules the cache only saves work.
 */
export class TokenCache implements CacheStats {
  private readonly lru: TokenLru<Verified> | undefined;
  private readonly recent: SecondSight | undefined;
  private readonly max: number;
  /** Lookups answered from the cache, and lookups that were not. */
  hits = 0;
  misses = 0;

  constructor(size: number) {
    this.lru = size > 0 ? new TokenLru(size) : undefined;
    this.recent = size > 0 ? new SecondSight(size) : undefined;
    this.max = size;
  }

  get(keys: KeySourceCache, token: string, nowSeconds: number, skewSeconds: number): ParsedToken | undefined {
    if (!this.lru) return undefined;
    const hit = this.lru.get(token);
    if (!hit || hit.keys !== keys) {
      this.misses++;
      return undefined;
    }
    const set = hit.keys.peek();
    const expired = hit.parsed.exp !== 0 && nowSeconds > hit.parsed.exp + skewSeconds;
    if (expired || !set || !set.has(hit.key)) {
      this.lru.delete(token);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return hit.parsed;
  }

  set(token: string, value: Verified): void {
    if (!this.lru) return;
    if (this.lru.size >= this.max && !this.recent!.seenAgain(token)) return;
    this.lru.set(token, value);
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }
}
