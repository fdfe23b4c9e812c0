/**
 * True when some object of already-parsed JSON text names a member twice. protobuf's JSON reader,
 * which ESPv2 reads token sections and key documents with, refuses such text (a Struct field set
 * twice), and JSON.parse does not: it keeps the last one, where other parsers keep the first, so the
 * backend could read another claim than the one checked. Names are compared unescaped, so `"a"` and
 * `"\u0061"` are the same name. The text must already be valid JSON: this only tracks nesting.
 */
export function hasDuplicateKeys(json: string): boolean {
  // One entry per open container: the names seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      let escaped = false;
      while (json[end] !== '"') {
        if (json[end] === '\\') {
          escaped = true;
          end++;
        }
        end++;
      }
      const names = open[open.length - 1];
      if (expectName && names) {
        const name = escaped ? (JSON.parse(json.slice(i, end + 1)) as string) : json.slice(i + 1, end);
        if (names.has(name)) return true;
        names.add(name);
        expectName = false;
      }
      i = end;
    } else if (c === '{') {
      open.push(new Set());
      expectName = true;
    } else if (c === '[') {
      open.push(null);
      expectName = false;
    } else if (c === '}' || c === ']') {
      open.pop();
      expectName = false;
    } else if (c === ',') {
      expectName = open[open.length - 1] != null;
    }
  }
  return false;
}
