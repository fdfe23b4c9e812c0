/**
 * One segment of a path template, after `{var=sub/pattern}` variables are expanded into their own
 * segments. Kinds are ordered by how specific they are: a literal beats a pattern beats a single
 * wildcard beats a multi-segment wildcard at the same place.
 */
export type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  /**
   * Literal text around variables within one segment (`{id}.json`, `{y}-{m}-{d}.csv`): `texts` are the
   * pieces between the variables, the first and last possibly empty; each variable takes one or more
   * characters. `source` is the segment as written, variables reduced to `{}`.
   */
  | { readonly kind: 'pattern'; readonly texts: readonly string[]; readonly source: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'rest' };

/**
 * Parses an OpenAPI / Google HTTP-rule template: `{name}` and `*` match one segment, `{name=**}` and
 * `**` any number, `{name=shelves/*}` expands in place, `{id}.json` or `{name}:cancel` mix literal text
 * and a variable within one segment. A query string in the path key (`/x?y=1`) is ignored. Literal text
 * is kept as written: it is compared with the request's path as sent, percent-escapes and all, the way
 * Express's router compares it.
 */
export function parseTemplate(template: string): Segment[] {
  const path = template.split('?')[0] ?? '';
  const segments: Segment[] = [];
  for (const raw of splitOutsideBraces(path)) {
    if (raw === '') continue;
    const whole = /^\{([^}=]+)(?:=([^}]*))?\}$/.exec(raw);
    if (whole) {
      const inner = whole[2];
      if (inner === undefined || inner === '*') segments.push({ kind: 'any' });
      else if (inner === '**') segments.push({ kind: 'rest' });
      else segments.push(...parseTemplate(`/${inner}`));
      continue;
    }
    if (raw === '*') segments.push({ kind: 'any' });
    else if (raw === '**') segments.push({ kind: 'rest' });
    else if (!raw.includes('{')) segments.push({ kind: 'literal', value: raw });
    else segments.push(mixedSegment(raw));
  }
  return segments;
}

function splitOutsideBraces(path: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of path) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === '/' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

function mixedSegment(raw: string): Segment {
  // `a{x}b{y}c` splits into ['a', '{x}', 'b', '{y}', 'c']: the texts are the even pieces.
  const pieces = raw.split(/(\{[^}]*\})/);
  const texts = pieces.filter((_, i) => i % 2 === 0);
  return { kind: 'pattern', texts, source: texts.join('{}') };
}
