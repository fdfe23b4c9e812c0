import type { Operation, Provider, ServiceModel } from './model.js';
import { readScheme, type Scheme } from './read-scheme.js';
import { readSecurity, readXSecurity } from './read-security.js';
import { resolveRef } from './resolve-ref.js';
import { isObject, jsonPath, Problems } from './problems.js';
import { providersOf } from './providers-of.js';
import { METHODS } from './raw-path-items.js';

export interface ReadResult {
  readonly model: ServiceModel;
  readonly problems: Problems;
}

/**
 * Reads a Swagger 2.0 or OpenAPI 3.x document into the neutral model, collecting every problem with
 * its JSON path. Never throws; the caller decides what an error means.
 */
export function readDocument(doc: unknown, serviceNameOverride?: string): ReadResult {
  const problems = new Problems();
  const empty: ServiceModel = { serviceName: serviceNameOverride, providers: new Map(), operations: [], allowUndefined: false, allowCors: false };
  if (!isObject(doc)) {
    problems.error('$', 'the OpenAPI document must be an object');
    return { model: empty, problems };
  }
  const dialect = typeof doc.swagger === 'string' && doc.swagger.startsWith('2.')
    ? 'swagger2'
    : typeof doc.openapi === 'string' && /^3\.[01]\./.test(doc.openapi)
      ? 'openapi3'
      : undefined;
  if (!dialect) {
    problems.error('$', 'must declare swagger: "2.0" or openapi: "3.0.x" / "3.1.x"');
    return { model: empty, problems };
  }

  const schemesPath = dialect === 'swagger2' ? '$.securityDefinitions' : '$.components.securitySchemes';
  const rawSchemes = dialect === 'swagger2' ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
  const schemes = new Map<string, Scheme>();
  const providers = new Map<string, Provider>();
  if (rawSchemes !== undefined && !isObject(rawSchemes)) problems.error(schemesPath, 'must be an object');
  for (const [name, raw] of Object.entries(isObject(rawSchemes) ? rawSchemes : {})) {
    const scheme = readScheme(name, resolveRef(doc, raw), jsonPath(schemesPath, name), problems);
    schemes.set(name, scheme);
    if (scheme.kind === 'jwt') providers.set(name, scheme.provider);
  }

  const serviceName = serviceNameOverride ?? (typeof doc.host === 'string' && doc.host ? doc.host : undefined);
  const docBasePaths = dialect === 'swagger2' ? [swaggerBasePath(doc.basePath, problems)] : serverBasePaths(doc.servers, ['']);
  const topSecurity = doc.security === undefined ? [] : readSecurity(doc.security, '$.security', schemes, problems);

  const operations: Operation[] = [];
  const ids = new Map<string, string>();
  const paths = doc.paths;
  if (!isObject(paths)) problems.error('$.paths', 'must be an object');
  for (const [key, rawItem] of Object.entries(isObject(paths) ? paths : {})) {
    const itemPath = jsonPath('$.paths', key);
    if (!key.startsWith('/')) {
      problems.error(itemPath, 'a path must start with "/"');
      continue;
    }
    const item = resolveRef(doc, rawItem);
    if (!isObject(item)) {
      problems.error(itemPath, 'must be a path item object (or a $ref to one inside the document)');
      continue;
    }
    const query = queryOfPathKey(key);
    // OpenAPI 3: servers of a path item replace the document's, an operation's replace both.
    const itemBasePaths = dialect === 'openapi3' ? serverBasePaths(item.servers, docBasePaths) : docBasePaths;
    for (const method of METHODS) {
      const raw = item[method.toLowerCase()];
      if (raw === undefined) continue;
      const opPath = jsonPath(itemPath, method.toLowerCase());
      if (!isObject(raw)) {
        problems.error(opPath, 'must be an operation object');
        continue;
      }
      const ownSecurity = raw.security !== undefined;
      const alternatives = ownSecurity ? readSecurity(raw.security, jsonPath(opPath, 'security'), schemes, problems) : topSecurity;
      const xSecurity = readXSecurity(raw['x-security'], jsonPath(opPath, 'x-security'), schemes, problems);
      const basePaths = dialect === 'openapi3' ? serverBasePaths(raw.servers, itemBasePaths) : itemBasePaths;
      const hasId = typeof raw.operationId === 'string' && raw.operationId !== '';
      if (hasId) {
        const previous = ids.get(raw.operationId as string);
        if (previous) problems.error(jsonPath(opPath, 'operationId'), `"${String(raw.operationId)}" is also the operationId of ${previous}`);
        else ids.set(raw.operationId as string, opPath);
      }
      // Several servers give one operation several templates; its id stays one.
      for (const base of basePaths) {
        const template = base + key;
        const id = hasId ? (raw.operationId as string) : `${method} ${basePaths[0]}${key}`;
        operations.push(
          Object.freeze({ id, method, template, alternatives: Object.freeze(alternatives), ownSecurity, xSecurity, query, path: opPath }),
        );
      }
    }
  }

  const reported = new Set<Provider>();
  for (const op of operations) {
    const overridden = new Set(op.xSecurity.filter((t) => t.audiences?.length).map((t) => t.provider));
    const named = [...providersOf(op), ...op.xSecurity.map((t) => t.provider)];
    for (const provider of named) {
      if (provider.audiences.length || overridden.has(provider) || serviceName || reported.has(provider)) continue;
      reported.add(provider);
      problems.error(
        provider.path,
        'has no x-google-audiences and the document has no host, so no audience could ever match: set x-google-audiences, host, or the serviceName option',
      );
    }
  }

  const allow = doc['x-google-allow'];
  if (allow !== undefined && allow !== 'all' && allow !== 'configured') {
    problems.error('$["x-google-allow"]', 'must be "configured" or "all"');
  }
  const model: ServiceModel = {
    serviceName,
    providers,
    operations,
    allowUndefined: allow === 'all',
    allowCors: readAllowCors(doc['x-google-endpoints'], problems),
  };
  return { model, problems };
}

function swaggerBasePath(raw: unknown, problems: Problems): string {
  if (raw === undefined) return '';
  if (typeof raw !== 'string' || !raw.startsWith('/')) {
    problems.error('$.basePath', 'must be a string starting with "/"');
    return '';
  }
  return raw.replace(/\/+$/, '');
}

/**
 * The path part of each `servers[].url` (variables at their defaults), without a trailing "/"; no
 * servers here means the enclosing level's.
 */
function serverBasePaths(raw: unknown, inherited: readonly string[]): readonly string[] {
  if (!Array.isArray(raw) || raw.length === 0) return inherited;
  const out = new Set<string>();
  for (const server of raw) {
    if (!isObject(server) || typeof server.url !== 'string') continue;
    let url = server.url;
    const variables = isObject(server.variables) ? server.variables : {};
    url = url.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const v = variables[name];
      return isObject(v) && typeof v.default === 'string' ? v.default : '';
    });
    let path: string;
    try {
      path = new URL(url, 'http://placeholder.invalid').pathname;
    } catch {
      path = '/';
    }
    out.add(decodeURI(path).replace(/\/+$/, ''));
  }
  return out.size ? [...out] : inherited;
}

/**
 * A path key that carries a query string (`/responses?beta=true`, seen in real documents although
 * OpenAPI forbids it): the operation is chosen when the request's query has these parameters.
 */
function queryOfPathKey(key: string): readonly (readonly [string, string])[] {
  const q = key.indexOf('?');
  if (q === -1) return [];
  return Object.freeze([...new URLSearchParams(key.slice(q + 1))].map((pair) => Object.freeze(pair)));
}

function readAllowCors(raw: unknown, problems: Problems): boolean {
  if (raw === undefined) return false;
  if (!Array.isArray(raw)) {
    problems.error('$["x-google-endpoints"]', 'must be a list of {name, allowCors} objects');
    return false;
  }
  return raw.some((e) => isObject(e) && e.allowCors === true);
}
