import { isObject } from './problems.js';

/**
 * Follows a local `$ref` (`#/components/...`) inside the document, as many hops as needed. Returns
 * undefined for a reference that leaves the document, does not resolve, or loops.
 */
export function resolveRef(doc: Record<string, unknown>, value: unknown): unknown {
  const seen = new Set<string>();
  let current = value;
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) return undefined;
    seen.add(ref);
    let target: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObject(target) || !Object.hasOwn(target, key)) return undefined;
      target = target[key];
    }
    current = target;
  }
  return current;
}
