import type { SpecProblem } from '../errors/spec-error.js';
import { compileMatcher } from '../match/compile-matcher.js';
import { countsForEndpoints, endpointsReading, type EndpointsReading } from '../requirements/endpoints-reading.js';
import { checkEspFeatures } from '../openapi/check-esp-features.js';
import { checkExtensions } from '../openapi/check-extensions.js';
import type { Alternative, Operation, Provider, ServiceModel } from '../openapi/model.js';
import { isObject, jsonPath, Problems } from '../openapi/problems.js';
import { providersOf } from '../openapi/providers-of.js';
import { readDocument } from '../openapi/read-document.js';
import type { OpenApiDocument } from '../openapi/openapi-document.js';

export interface LintOptions {
  /** As `endpointsAuth`'s option: the service name, when the document's `host` is not it. */
  serviceName?: string;
}

/**
 * The result of `lint`, stable for the CLI and other tools: every problem with its JSON path.
 * `error`: `endpointsAuth` refuses the document (the errors its SpecError lists, except a missing `apiKey`
 * option, which depends on the options and is a note here); `warning`: it is
 * enforced, but not as ESP, gcloud or the OpenAPI reading alone would; `note`: worth knowing.
 */
export interface LintResult {
  problems: SpecProblem[];
}

/** Text that was meant to be replaced before deployment: `{{.Name}}`, `<HOST>`, `${VAR}`, `YOUR-PROJECT-ID`. */
const UNFILLED = /\{\{.*\}\}|<[^<>]+>|\$\{[^}]*\}|YOUR[-_]/;

/**
 * Checks a document without starting anything: every error `endpointsAuth` would throw, plus where
 * Endpoints' reading of `security` and the OpenAPI reading differ (espresso-jwt enforces both), scopes
 * (ESP ignores them, we check them), YAML-list audiences (gcloud refuses them, we accept them), cookie
 * locations (ESPv2 ignores them, we read them) and unfilled placeholders.
 */
export function lint(spec: OpenApiDocument, options?: LintOptions): LintResult;
export function lint(spec: unknown, options?: LintOptions): LintResult;
export function lint(spec: unknown, options: LintOptions = {}): LintResult {
  const { model, problems } = readDocument(spec, options.serviceName);
  // The matcher's own refusals: templates ESP could not tell apart, and templates it could not match in
  // linear time (more than one `**`).
  compileMatcher(model.operations, problems);
  lintDocument(spec, model, problems);
  return { problems: problems.list };
}

/** The checks of `lint` beyond reading the document: warnings and notes only (never an error). */
function lintDocument(spec: unknown, model: ServiceModel, problems: Problems): void {
  if (!isObject(spec)) return;

  const host = spec.host;
  if (typeof host === 'string' && UNFILLED.test(host)) {
    problems.warning('$.host', `"${host}" looks like an unfilled template; it is the service name, so the default audience would be "https://${host}"`);
  }
  const definitions = spec.swagger !== undefined && isObject(spec.securityDefinitions) ? spec.securityDefinitions : undefined;
  for (const p of model.providers.values()) {
    const raw = definitions?.[p.name];
    lintProvider(p, isObject(raw) ? raw.type : undefined, problems);
  }
  if (model.allowUndefined) problems.note('$["x-google-allow"]', 'is "all": requests that match no operation pass with no check');

  const seen = new Set<string>();
  for (const op of model.operations) {
    // An operation under several servers appears once per base path; lint it once.
    if (seen.has(op.path)) continue;
    seen.add(op.path);
    const esp = endpointsReading(op);
    const securityPath = op.ownSecurity ? jsonPath(op.path, 'security') : '$.security';
    if (readingsDiffer(op, esp)) {
      problems.warning(
        op.path,
        `Endpoints reads its security${op.xSecurity.length ? ' (with x-security, which only Endpoints knows)' : ''} as ${describeEndpoints(esp)}; OpenAPI reads it as ${describeOpenApi(op.alternatives)}. ` +
          'espresso-jwt lets a request through only when both accept it',
      );
    }
    op.alternatives.forEach((alt, i) => {
      if (alt.jwt.length < 2) return;
      const names = alt.jwt.map((t) => t.provider.name).join('" and "');
      const shared = sharesLocation(alt.jwt.map((t) => t.provider));
      problems.warning(
        jsonPath(securityPath, i),
        `requires tokens of "${names}" in one request; gcloud refuses two JWT schemes in one requirement object (it allows only OR)` +
          (shared ? ', and they read the same token locations, where every token must satisfy each of them, so no request can pass' : ''),
      );
    });
    if (!seen.has(securityPath)) {
      op.alternatives.forEach((alt, i) => {
        const scoped = alt.jwt.filter((t) => t.scopes.length);
        if (scoped.length === 0) return;
        const list = scoped.map((t) => `${t.provider.name}: ${t.scopes.join(' ')}`).join('; ');
        problems.note(jsonPath(securityPath, i), `lists scopes (${list}): ESP ignores them; espresso-jwt checks them against the token's scope / scp claim unless scopes: 'ignore'`);
      });
      seen.add(securityPath);
    }
  }
  checkExtensions(spec, problems);
  checkEspFeatures(spec, model, problems);
}

/** `swagger2Type`: the scheme's `type` in a Swagger 2.0 document, where gcloud reads providers. */
function lintProvider(p: Provider, swagger2Type: unknown, problems: Problems): void {
  for (const [what, value] of [['issuer', p.issuer], ['key URL', p.keySource.url], ...p.audiences.map((a) => ['audience', a])] as const) {
    if (UNFILLED.test(value)) problems.warning(p.path, `its ${what} "${value}" looks like an unfilled placeholder`);
  }
  for (const l of p.locations) {
    if (l.in === 'cookie') {
      problems.warning(p.path, `reads tokens from the cookie "${l.name}": ESPv2 ignores cookie locations, espresso-jwt honours them`);
    }
  }
  if (swagger2Type !== undefined && swagger2Type !== 'oauth2') {
    problems.warning(p.path, `is of type "${String(swagger2Type)}": gcloud makes JWT providers only of oauth2 schemes, so ESP would not check this one`);
  }
}

/**
 * The readings agree when every requirement object names at most one JWT provider, all or none of
 * them name one, no empty object stands beside others, and all or none name an API key that gcloud
 * keeps.
 */
function readingsDiffer(op: Operation, esp: EndpointsReading): boolean {
  const alts = op.alternatives;
  const openApiProviders = providersOf(op);
  if (esp.providers.length !== openApiProviders.length || esp.providers.some((p) => !openApiProviders.includes(p.provider))) return true;
  if (alts.some((a) => a.jwt.length > 1)) return true;
  if (openApiProviders.length && alts.some((a) => a.jwt.length === 0)) return true;
  const keyed = alts.filter((a) => a.apiKeys.length);
  if (esp.needsApiKey) return keyed.some((a) => !a.apiKeys.some(countsForEndpoints));
  return keyed.length > 0;
}

function describeEndpoints(esp: EndpointsReading): string {
  const jwt = esp.providers.length ? `a token of ${esp.providers.map((p) => `"${p.provider.name}"`).join(' or ')}` : 'no token';
  return esp.needsApiKey ? `${jwt} and an API key` : esp.providers.length ? jwt : `${jwt} and no API key`;
}

function describeOpenApi(alts: readonly Alternative[]): string {
  if (alts.length === 0) return 'nothing';
  return alts
    .map((a) => {
      const names = [...a.jwt.map((t) => `"${t.provider.name}"`), ...a.apiKeys.map((k) => `"${k.name}"`)];
      return names.length ? `(${names.join(' and ')})` : '(nothing: {} makes auth optional)';
    })
    .join(' or ');
}

function sharesLocation(providers: readonly Provider[]): boolean {
  const seen = new Set<string>();
  for (const p of providers) {
    const keys = new Set(p.locations.map((l) => `${l.in}:${l.name}`));
    for (const k of keys) {
      if (seen.has(k)) return true;
    }
    for (const k of keys) seen.add(k);
  }
  return false;
}
