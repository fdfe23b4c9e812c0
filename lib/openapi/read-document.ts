import type { Alternative, HttpMethod, Operation, Provider, ServiceModel } from './model.js';
import { readScheme, type Scheme } from './read-scheme.js';
import { mergeXSecurity, readSecurity } from './read-security.js';
import { resolveRef } from './resolve-ref.js';
import { isObject, jsonPath, Problems } from './problems.js';

const METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];

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
  const basePaths = dialect === 'swagger2' ? [swaggerBasePath(doc.basePath, problems)] : serverBasePaths(doc.servers);
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
    for (const method of METHODS) {
      const raw = item[method.toLowerCase()];
      if (raw === undefined) continue;
      const opPath = jsonPath(itemPath, method.toLowerCase());
      if (!isObject(raw)) {
        problems.error(opPath, 'must be an operation object');
        continue;
      }
      let alternatives: Alternative[] =
        raw.security === undefined ? topSecurity : readSecurity(raw.security, jsonPath(opPath, 'security'), schemes, problems);
      alternatives = mergeXSecurity(alternatives, raw['x-security'], jsonPath(opPath, 'x-security'), schemes, problems);
      for (const base of basePaths) {
        const template = base + key;
        const id = typeof raw.operationId === 'string' && raw.operationId ? raw.operationId : `${method} ${template}`;
        // Several servers give one operation several templates; its id stays one.
        if (basePaths.length === 1 || base === basePaths[0]) {
          const previous = ids.get(id);
          if (previous) problems.error(jsonPath(opPath, 'operationId'), `"${id}" is also the operationId of ${previous}`);
          else ids.set(id, opPath);
        }
        operations.push(Object.freeze({ id, method, template, alternatives: Object.freeze(alternatives), path: opPath }));
      }
    }
  }

  for (const op of operations) {
    for (const alt of op.alternatives) {
      for (const term of alt.jwt) {
        if (term.provider.audiences.length === 0 && term.audiences === undefined && !serviceName) {
          problems.error(
            term.provider.path,
            'has no x-google-audiences and the document has no host, so no audience could ever match: set x-google-audiences, host, or the serviceName option',
          );
        }
      }
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

/** The path part of each `servers[].url` (variables at their defaults); none means "/". */
function serverBasePaths(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0) return [''];
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
  return out.size ? [...out] : [''];
}

function readAllowCors(raw: unknown, problems: Problems): boolean {
  if (raw === undefined) return false;
  if (!Array.isArray(raw)) {
    problems.error('$["x-google-endpoints"]', 'must be a list of {name, allowCors} objects');
    return false;
  }
  return raw.some((e) => isObject(e) && e.allowCors === true);
}
