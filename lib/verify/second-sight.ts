/**
 * Remembers the tokens verified lately, by a 32-bit fingerprint of their last characters (their
 * signature), in two generations of half a cache-size of recordings each: a token is "seen again" when
 * it comes back within the last `entries / 2` to `entries` verifications, and never after that (an
 * older generation is cleared, not left to decay). That is within the reach of an LRU of `entries`
 * entries, which every verified token would enter: a token comes back in time only if such an LRU
 * would still have held it. Each generation is a table of one slot per recording (rounded up to a
 * power of two), so that remembering costs no object per token and nothing for the garbage collector.
 * A slot shared by two tokens keeps the later: a token can be forgotten early, never remembered late;
 * a false "seen" needs two tokens to share a slot and a fingerprint, and would only cache a token one
 * verification early.
 */
export class SecondSight {
  private current: Uint32Array;
  private previous: Uint32Array;
  private recorded = 0;
  private readonly generation: number;
  private readonly mask: number;

  constructor(entries: number) {
    this.generation = Math.max(1, Math.ceil(entries / 2));
    let size = 1;
    while (size < this.generation) size *= 2;
    this.current = new Uint32Array(size);
    this.previous = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** True when `token` was recorded within the window; records it otherwise. */
  seenAgain(token: string): boolean {
    const print = fingerprint(token);
    const slot = print & this.mask;
    if (this.current[slot] === print || this.previous[slot] === print) return true;
    if (this.recorded === this.generation) {
      const cleared = this.previous;
      cleared.fill(0);
      this.previous = this.current;
      this.current = cleared;
      this.recorded = 0;
    }
    this.current[slot] = print;
    this.recorded++;
    return false;
  }
}

const FINGERPRINT_CHARS = 16;

/** FNV-1a over the token's last characters; never 0, the empty slot. */
function fingerprint(token: string): number {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, token.length - FINGERPRINT_CHARS); i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}
