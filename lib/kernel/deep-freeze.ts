/**
 * Freezes a parsed JSON value and every object and array inside it, in place, and returns it. Walks
 * with its own stack rather than recursion: a token's payload is client data, and a deeply nested one
 * must not overflow the call stack of the request that verifies it. JSON has no cycles and no shared
 * parts, so each object is met once.
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v !== 'object' || v === null) continue;
    Object.freeze(v);
    for (const key of Object.keys(v)) pending.push((v as Record<string, unknown>)[key]);
  }
  return value;
}
