const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * True when some object of already-parsed JSON text names a member twice. protobuf's JSON reader,
 * which ESPv2 reads token sections and key documents with, refuses such text (a Struct field set
 * twice), and JSON.parse does not: it keeps the last one, where other parsers keep the first, so the
 * backend could read another claim than the one checked. Names are compared unescaped, so `"a"` and
 * `"\u0061"` are the same name. The text must already be valid JSON: this only tracks nesting, and
 * skips over each string with `indexOf` (a token's payload is mostly string contents).
 */
export function hasDuplicateKeys(json: string): boolean {
  // One entry per open container: the names seen so far for an object, null for an array.
  const open: (Names | null)[] = [];
  let expectName = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(json, i);
      const names = open[open.length - 1];
      if (expectName && names) {
        const backslash = json.indexOf('\\', i + 1);
        const name = backslash !== -1 && backslash < end ? (JSON.parse(json.slice(i, end + 1)) as string) : json.slice(i + 1, end);
        if (!names.add(name)) return true;
        expectName = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT) {
      open.push(new Names());
      expectName = true;
    } else if (c === OPEN_ARRAY) {
      open.push(null);
      expectName = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      open.pop();
      expectName = false;
    } else if (c === COMMA) {
      expectName = open[open.length - 1] != null;
    }
  }
  return false;
}

/** The index of the quote that ends the string opening at `start`: the next one not escaped by an odd run of backslashes. */
function closingQuote(json: string, start: number): number {
  let end = json.indexOf('"', start + 1);
  for (;;) {
    let run = 0;
    while (json.charCodeAt(end - 1 - run) === BACKSLASH) run++;
    if (run % 2 === 0) return end;
    end = json.indexOf('"', end + 1);
  }
}

/**
 * The member names of one object. A token's objects have a handful of names, which a list compares
 * faster than a Set hashes them (each name is a new string); a long object moves to a Set.
 */
class Names {
  private list: string[] | undefined = [];
  private set: Set<string> | undefined;

  /** Adds `name`; false when it was there already. */
  add(name: string): boolean {
    if (this.list) {
      if (this.list.includes(name)) return false;
      this.list.push(name);
      if (this.list.length > 16) {
        this.set = new Set(this.list);
        this.list = undefined;
      }
      return true;
    }
    if (this.set!.has(name)) return false;
    this.set!.add(name);
    return true;
  }
}
