/** The Node built-ins the package reaches for, by id (types only: nothing is imported). */
interface NodeBuiltins {
  'node:http': typeof import('node:http');
  'node:fs/promises': typeof import('node:fs/promises');
  'node:crypto': typeof import('node:crypto');
}

/** The built-in where the runtime offers it through `process.getBuiltinModule`, else undefined (see below). */
export function optionalNodeBuiltin<ID extends keyof NodeBuiltins>(id: ID): NodeBuiltins[ID] | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as NodeBuiltins[ID] | undefined;
}

/**
 * A Node built-in module, loaded only when a feature that needs it is used. An `import` of `node:http`
 * or `node:fs/promises` anywhere in the main entry's graph makes bundlers for browser-like platforms
 * (Cloudflare Workers, the Edge runtime, Next.js Edge) refuse the whole package, even a dynamic
 * `import()`; `process.getBuiltinModule` (Node >= 20.16) is invisible to them, and synchronous.
 * Elsewhere the feature fails with a clear error when it is called, not when the package loads.
 */
export function nodeBuiltin<ID extends keyof NodeBuiltins>(id: ID, feature: string): NodeBuiltins[ID] {
  const mod = optionalNodeBuiltin(id);
  if (!mod) throw new TypeError(`espresso-jwt: ${feature} needs Node.js (${id} is not available on this platform)`);
  return mod;
}
