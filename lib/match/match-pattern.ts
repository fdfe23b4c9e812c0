/** Counts the characters a match looked at, so tests can hold matching to linear time without a clock. */
export interface MatchProbe {
  steps: number;
}

/**
 * Whether `segment` is `texts[0]`, then one or more characters, then `texts[1]`, ... then the last text:
 * a segment template such as `{year}-{month}-{day}.csv`. Each middle text is taken at its first place
 * after the previous one (leaving at least one character for the variable before it): if any placement
 * fits, that one does, because it leaves the most room for what follows. So the cost is one pass over
 * the segment per text, whatever the segment holds; no regular expression backtracks over request data.
 */
export function matchPattern(texts: readonly string[], segment: string, probe?: MatchProbe): boolean {
  const first = texts[0]!;
  const last = texts[texts.length - 1]!;
  const variables = texts.length - 1;
  // Room for every text and one character per variable.
  let needed = variables;
  for (const t of texts) needed += t.length;
  if (segment.length < needed || !segment.startsWith(first) || !segment.endsWith(last)) return false;
  const end = segment.length - last.length;
  let at = first.length;
  for (let i = 1; i < texts.length - 1; i++) {
    const text = texts[i]!;
    const found = segment.indexOf(text, at + 1);
    if (probe) probe.steps += (found === -1 ? segment.length : found + text.length) - at;
    // The text must end before the room the remaining variables and texts need.
    if (found === -1 || found + text.length > end - 1) return false;
    at = found + text.length;
  }
  // The last variable takes what is left: at least one character.
  return end - at >= 1;
}
