import type { Alternative, ApiKeyScheme, JwtTerm, XSecurityTerm } from './model.js';
import type { Scheme } from './read-scheme.js';
import { isObject, jsonPath, type Problems } from './problems.js';

/**
 * Reads a `security` list into requirement objects (alternatives). Each object is one alternative;
 * every scheme named in it must hold. A scheme that is not defined, or that cannot be checked, is an
 * error: the document would otherwise be enforced more weakly than it reads.
 */
export function readSecurity(
  raw: unknown,
  path: string,
  schemes: ReadonlyMap<string, Scheme>,
  problems: Problems,
): Alternative[] {
  if (!Array.isArray(raw)) {
    problems.error(path, 'must be a list of security requirement objects');
    return [];
  }
  const out: Alternative[] = [];
  raw.forEach((requirement, i) => {
    const at = jsonPath(path, i);
    if (!isObject(requirement)) return problems.error(at, 'must be an object mapping scheme names to scope lists');
    const jwt: JwtTerm[] = [];
    const apiKeys: ApiKeyScheme[] = [];
    for (const [name, scopes] of Object.entries(requirement)) {
      const scheme = schemes.get(name);
      const termPath = jsonPath(at, name);
      if (!scheme) {
        problems.error(termPath, `names the security scheme "${name}", which is not defined`);
        continue;
      }
      if (scheme.kind === 'unsupported') {
        problems.error(termPath, `names the security scheme "${name}", which espresso-jwt cannot check: ${scheme.why}`);
        continue;
      }
      const scopeList = readScopes(scopes, termPath, problems);
      if (scheme.kind === 'jwt') jwt.push({ provider: scheme.provider, scopes: scopeList });
      else apiKeys.push(scheme.scheme);
    }
    out.push({ jwt, apiKeys });
  });
  return out;
}

function readScopes(raw: unknown, path: string, problems: Problems): readonly string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== 'string')) {
    problems.error(path, 'must be a list of scope names');
    return [];
  }
  return Object.freeze([...(raw as string[])]);
}

/**
 * The legacy per-operation `x-security: [{scheme: {audiences: [...]}}]`, read as Endpoints' converter
 * reads it: each scheme must be a JWT provider, and its audiences (when given) replace the
 * provider's own for this operation. How it combines with `security` is Endpoints' reading
 * (requirements/endpoints-reading.ts).
 */
export function readXSecurity(
  raw: unknown,
  path: string,
  schemes: ReadonlyMap<string, Scheme>,
  problems: Problems,
): XSecurityTerm[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.error(path, 'must be a list of {scheme: {audiences: [...]}} objects');
    return [];
  }
  const out: XSecurityTerm[] = [];
  raw.forEach((entry, i) => {
    const at = jsonPath(path, i);
    if (!isObject(entry)) return problems.error(at, 'must be an object');
    for (const [name, value] of Object.entries(entry)) {
      const scheme = schemes.get(name);
      if (!scheme || scheme.kind !== 'jwt') {
        problems.error(jsonPath(at, name), `names "${name}", which is not a JWT security scheme of this document`);
        continue;
      }
      let audiences: string[] | undefined;
      if (isObject(value) && value.audiences !== undefined) {
        if (!Array.isArray(value.audiences) || value.audiences.some((a) => typeof a !== 'string')) {
          problems.error(jsonPath(jsonPath(at, name), 'audiences'), 'must be a list of strings');
        } else audiences = (value.audiences as string[]).map((a) => a.trim()).filter(Boolean);
      }
      // A later mention of the same scheme wins, as in the converter's map.
      const previous = out.findIndex((t) => t.provider === scheme.provider);
      const term = { provider: scheme.provider, audiences };
      if (previous === -1) out.push(term);
      else out[previous] = term;
    }
  });
  return out;
}
