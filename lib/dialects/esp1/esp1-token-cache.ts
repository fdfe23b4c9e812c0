import type { CacheStats } from '../../verify/token-lru.js';
import type { Esp1Token } from './parse-esp1-token.js';
import { TokenLru } from '../../verify/token-lru.js';

/** ESP v1 keeps a verified token at most this long (auth/jwt_cache.cc kJwtCacheTimeout). */
const ENTRY_LIFETIME_MS = 300_000;

/**
 * ESP v1's verified-token cache, keyed by the token alone: an entry is good while now <=
 * min(exp, insert time + 300 s), and a hit skips parse, time, keys and signature (issuer and audience
 * still run). Its size is the `tokenCacheSize` option, 100 entries unless set, as ESP v1 holds: a hit
 * skips the keys, which ESP v1 drops at the end of their lifetime, so a larger cache would let more
 * tokens through while the key server is down.
 */
export class Esp1TokenCache implements CacheStats {
  private readonly lru: TokenLru<{ readonly token: Esp1Token; readonly expiresAt: number }> | undefined;

  hits = 0;
  misses = 0;

  constructor(size: number) {
    this.lru = size > 0 ? new TokenLru(size) : undefined;
  }

  get(raw: string, nowMs: number): Esp1Token | undefined {
    const hit = this.lru?.get(raw);
    if (hit && nowMs <= hit.expiresAt) {
      this.hits++;
      return hit.token;
    }
    if (hit) this.lru!.delete(raw);
    this.misses++;
    return undefined;
  }

  set(token: Esp1Token, nowMs: number): void {
    const limit = nowMs + ENTRY_LIFETIME_MS;
    this.lru?.set(token.token, { token, expiresAt: token.exp ? Math.min(token.exp * 1000, limit) : limit });
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }
}
