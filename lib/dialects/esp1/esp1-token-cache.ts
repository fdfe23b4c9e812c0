import { LRUCache } from 'lru-cache';
import type { Esp1Token } from './parse-esp1-token.js';

/** ESP v1 keeps a verified token at most this long (auth/jwt_cache.cc kJwtCacheTimeout). */
const ENTRY_LIFETIME_MS = 300_000;

/**
 * ESP v1's verified-token cache, keyed by the token alone: an entry is good while now <=
 * min(exp, insert time + 300 s), and a hit skips parse, time, keys and signature (issuer and audience
 * still run). ESP v1 holds 100 entries; the size here is the `tokenCacheSize` option, which changes
 * no answer, only how often a token is verified again.
 */
export class Esp1TokenCache {
  private readonly lru: LRUCache<string, { readonly token: Esp1Token; readonly expiresAt: number }> | undefined;

  constructor(size: number) {
    this.lru = size > 0 ? new LRUCache({ max: size }) : undefined;
  }

  get(raw: string, nowMs: number): Esp1Token | undefined {
    const hit = this.lru?.get(raw);
    if (!hit) return undefined;
    if (nowMs <= hit.expiresAt) return hit.token;
    this.lru!.delete(raw);
    return undefined;
  }

  set(token: Esp1Token, nowMs: number): void {
    this.lru?.set(token.token, { token, expiresAt: Math.min(token.exp * 1000, nowMs + ENTRY_LIFETIME_MS) });
  }
}
