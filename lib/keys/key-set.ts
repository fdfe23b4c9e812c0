import type { KeyEntry } from './key-entry.js';

/** One downloaded (or preloaded) generation of a provider's keys. */
export class KeySet {
  readonly keys: readonly KeyEntry[];
  private readonly members: ReadonlySet<KeyEntry>;

  constructor(keys: readonly KeyEntry[]) {
    this.keys = Object.freeze([...keys]);
    this.members = new Set(keys);
  }

  /** True while this exact key is part of the set (a refresh keeps the objects of unchanged keys). */
  has(entry: KeyEntry): boolean {
    return this.members.has(entry);
  }

  hasKid(kid: string): boolean {
    return this.keys.some((k) => k.kid === kid);
  }

  /** A new generation that reuses this one's entries for keys whose material did not change. */
  carryOver(next: readonly KeyEntry[]): KeySet {
    const byPrint = new Map(this.keys.map((k) => [k.fingerprint, k]));
    return new KeySet(next.map((k) => byPrint.get(k.fingerprint) ?? k));
  }
}
