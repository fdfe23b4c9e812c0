/** Scopes a token grants: the `scope` claim (space separated) or the `scp` claim (list or string). */
function grantedScopes(payload: Readonly<Record<string, unknown>>): ReadonlySet<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') for (const s of v.split(/\s+/)) if (s) out.add(s);
  };
  add(payload.scope);
  if (Array.isArray(payload.scp)) payload.scp.forEach(add);
  else add(payload.scp);
  return out;
}

const NONE: readonly string[] = Object.freeze([]);

export function missingScopes(required: readonly string[], payload: Readonly<Record<string, unknown>>): readonly string[] {
  if (required.length === 0) return NONE;
  const granted = grantedScopes(payload);
  return required.filter((s) => !granted.has(s));
}
