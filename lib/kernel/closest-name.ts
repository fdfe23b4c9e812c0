/**
 * The candidate a misspelt name most likely meant, for "did you mean" messages: compared without case
 * and with "-" and "_" alike (`x-google-jwks-uri` means `x-google-jwks_uri`), by edit distance, and a
 * name that is the start of a candidate or contains it (`clockSkew` for `clockSkewSeconds`) counts as
 * near. Undefined when nothing is near enough to be a slip of the keyboard.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = fold(name);
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const c = fold(candidate);
    const contained = wanted.length >= 4 && (c.startsWith(wanted) || wanted.startsWith(c) || c.includes(wanted));
    const score = contained ? 1 : editDistance(wanted, c);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return bestScore <= Math.max(2, Math.floor(wanted.length / 4)) ? best : undefined;
}

/** ` (did you mean "x"?)`, or nothing when no candidate is near. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = closestName(name, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}

function fold(s: string): string {
  return s.toLowerCase().replace(/_/g, '-');
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
