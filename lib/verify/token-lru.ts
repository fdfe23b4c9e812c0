import { LRUCache } from 'lru-cache';

/** What a verified-token cache reports, for tests, benchmarks and operators. */
export interface CacheStats {
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
}

/** Characters of a token's end that key the map: within the signature, 288 bits of it for RS256. */
const KEY_LENGTH = 48;

/**
 * An LRU map from whole tokens to what was learnt from them, keyed by the token's last characters.
 * A token arrives as a new string on every request, and hashing a whole token (hundreds of
 * characters) was a third of a cached request's cost; the end of a token is its signature, as good a
 * key as the whole. Every hit is confirmed against the whole token, so two tokens that share an end
 * only ever cost each other a verification, never an answer.
 */
export class TokenLru<V> {
  private readonly lru: LRUCache<string, { readonly token: string; readonly value: V }>;

  constructor(max: number) {
    this.lru = new LRUCache({ max });
  }

  get(token: string): V | undefined {
    const hit = this.lru.get(keyOf(token));
    return hit !== undefined && hit.token === token ? hit.value : undefined;
  }

  set(token: string, value: V): void {
    this.lru.set(keyOf(token), { token, value });
  }

  delete(token: string): void {
    const key = keyOf(token);
    if (this.lru.peek(key)?.token === token) this.lru.delete(key);
  }

  get size(): number {
    return this.lru.size;
  }
}

function keyOf(token: string): string {
  return token.length > KEY_LENGTH ? token.slice(-KEY_LENGTH) : token;
}
