/**
 * Remembers the tokens verified lately, by a 32-bit fingerprint of their last characters (their
 * signature) in a table with one slot per cache entry, rounded up to a power of two: a token is
 * "seen again" when it comes back before about that many other tokens took its slot. No object per
 * token, so that remembering costs the garbage collector nothing. A false "seen" (two tokens sharing
 * a slot and a fingerprint) only caches a token one verification early.
 */
export class SecondSight {
  private readonly slots: Uint32Array;
  private readonly mask: number;

  constructor(entries: number) {
    let size = 1;
    while (size < entries) size *= 2;
    this.slots = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** True when `token` was recorded and not displaced since; records it otherwise. */
  seenAgain(token: string): boolean {
    const print = fingerprint(token);
    const slot = print & this.mask;
    if (this.slots[slot] === print) return true;
    this.slots[slot] = print;
    return false;
  }
}

const FINGERPRINT_CHARS = 16;

function fingerprint(token: string): number {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, token.length - FINGERPRINT_CHARS); i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
