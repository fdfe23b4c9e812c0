import type { Compatibility } from '../kernel/config.js';
import { createEngine, type Engine } from '../engine/create-engine.js';
import type { Operation, TokenLocation } from '../openapi/model.js';
import { describeCheck, describeLocation, seeToken } from './describe.js';
import { recordingFetch } from './key-documents.js';
import { providersOf } from '../openapi/providers-of.js';
import { entryOf, type CheckName } from '../failures/catalogue.js';
import { STEP_ORDER } from './step-of.js';
import { standInSignature } from './stand-in-signature.js';

export interface ExplainOptions {
  /** The token to explain. */
  readonly token: string;
  /** With `path`: the request to explain. Without: every operation of the document is tried. */
  readonly method?: string;
  readonly path?: string;
  readonly compatibility?: Compatibility;
  /** Skip key downloads and the signature: the verdict covers everything else. */
  readonly offline?: boolean;
  readonly serviceName?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

interface ExplainStep {
  readonly check: CheckName;
  readonly ok: boolean;
  readonly detail: string;
}

/** One verdict, as the middleware would give it, with the checks that led there. */
export interface ExplainReport {
  readonly verdict: 'allow' | 'deny';
  readonly status: number;
  readonly message: string;
  /** Null when the request is allowed. */
  readonly reason: string | null;
  readonly hint: string | null;
  /** The operation explained (its operationId), null when none matched. */
  readonly operation: string | null;
  readonly steps: readonly ExplainStep[];
  /** True when keys and signature were not checked (`offline`). */
  readonly offline: boolean;
  /** Without a path: the verdict for every operation, the explained one being the first that allows (or the first). */
  readonly operations?: readonly { readonly operation: string; readonly verdict: 'allow' | 'deny'; readonly status: number; readonly message: string }[];
}

const OFFLINE_CHECKS: ReadonlySet<CheckName> = new Set(['keys', 'signature']);

/**
 * Explains why a token passes or fails: the verdict, status, message, reason and hint are the
 * engine's own (the middleware's decision on the same request); the steps say which check decided and
 * what the token and the document hold there.
 */
export async function explain(spec: unknown, options: ExplainOptions): Promise<ExplainReport> {
  const offline = options.offline === true;
  const recorder = recordingFetch(offline ? offlineFetch : (options.fetch ?? globalThis.fetch));
  // Offline, the token goes in signed again with a key given as its issuer's: every check after the
  // signature (scopes, API keys) then runs as the middleware runs it, with nothing downloaded.
  const standIn = offline ? await standInSignature(options.token) : undefined;
  const engine = createEngine(spec, {
    compatibility: options.compatibility,
    serviceName: options.serviceName,
    now: options.now,
    tokenCacheSize: 0,
    apiKey: 'presence',
    fetch: recorder.fetch,
    keyFetchTimeoutMs: 10_000,
    // ESP v1 reads an HS* secret as the whole key document; every other key as a JWKS.
    ...(standIn ? { keys: { [standIn.issuer]: standIn.secret !== undefined && (options.compatibility ?? 'espv2') !== 'espv2' ? standIn.secret : standIn.jwks } } : {}),
  });
  const sent = standIn?.token ?? options.token;
  try {
    if (options.path !== undefined) {
      const method = (options.method ?? 'GET').toUpperCase();
      return await explainOne(engine, options, sent, offline, method, options.path, engine.findOperation(method, options.path), recorder.kidsByUrl);
    }
    const reports: { op: Operation; report: ExplainReport }[] = [];
    for (const op of engine.model.operations) {
      reports.push({ op, report: await explainOne(engine, options, sent, offline, op.method, op.template.split('?')[0]!, op, recorder.kidsByUrl, op.id) });
    }
    // The token's verdict: an operation that needs no token allows any, so it decides only when no
    // operation needs one. Among those that do, the first that allows, else the first that refuses.
    const guarded = reports.filter((r) => providersOf(r.op).length > 0);
    const chosen = guarded.find((r) => r.report.verdict === 'allow') ?? guarded[0] ?? reports.find((r) => r.report.verdict === 'allow') ?? reports[0];
    if (!chosen) return { ...deny(404, 'The document defines no operation', null, null), steps: [], operation: null, offline };
    return {
      ...chosen.report,
      operations: reports.map(({ op, report }) => ({ operation: op.id, verdict: report.verdict, status: report.status, message: report.message })),
    };
  } finally {
    engine.close();
  }
}

/** `sent` is the token as it goes to the engine: the user's, or offline its stand-in (`options.token` is what is shown). */
async function explainOne(
  engine: Engine,
  options: ExplainOptions,
  sent: string,
  offline: boolean,
  method: string,
  path: string,
  op: Operation | undefined,
  kidsByUrl: () => Promise<Map<string, readonly string[]>>,
  operationId?: string,
): Promise<ExplainReport> {
  const { location, headers, url } = place(sent, op, path, engine.dialect.name);
  const result = await engine.check({ method, url, headers }, operationId);
  const seen = seeToken(options.token);
  const ctx = {
    op,
    seen,
    nowSeconds: Math.floor((options.now ?? Date.now)() / 1000),
    skewSeconds: engine.config.clockSkewSeconds,
    serviceName: engine.model.serviceName,
    sentAs: location,
  };
  const order = STEP_ORDER[engine.dialect.name].filter((c) => !(offline && OFFLINE_CHECKS.has(c)));
  const step = (check: CheckName, ok: boolean, extra = ''): ExplainStep => ({ check, ok, detail: describeCheck(check, ctx) + extra });

  if (result.ok || (offline && OFFLINE_CHECKS.has(entryOf(result.error.failure.kind).step))) {
    const needsToken = op ? providersOf(op).length > 0 : false;
    const steps = order.filter((c) => c === 'operation' || needsToken || c === 'api_key').map((c) => step(c, true));
    // With no token needed, --offline skipped nothing that matters: the verdict is whole.
    const skipped = offline && needsToken;
    const message = skipped ? 'allowed, keys and signature not checked (--offline)' : needsToken ? 'allowed' : 'allowed: the operation needs no token';
    return { verdict: 'allow', status: 200, message, reason: null, hint: null, operation: op?.id ?? null, steps, offline: skipped };
  }
  const failure = result.error.failure;
  const failed = entryOf(failure.kind).step;
  const at = order.indexOf(failed);
  const passed = at === -1 ? [] : order.slice(0, at);
  const detail = ('detail' in failure && failure.detail ? ` (${failure.detail.split('\n')[0]})` : '') + (UNKNOWN_KID.has(failure.kind) ? await publishedKids(kidsByUrl) : '');
  return {
    ...deny(result.error.status, result.error.message, result.error.reason, result.error.hint),
    operation: op?.id ?? null,
    steps: [...passed.map((c) => step(c, true)), step(failed, false, `: ${result.error.message}${detail}`)],
    offline,
  };
}

/** Failures where the token's `kid` may be missing from the key set: the ids it does have are listed. */
const UNKNOWN_KID: ReadonlySet<string> = new Set(['key_not_found', 'kid_not_in_jwks', 'kid_not_in_x509']);

async function publishedKids(kidsByUrl: () => Promise<Map<string, readonly string[]>>): Promise<string> {
  const sets = [...(await kidsByUrl())].map(([url, kids]) => `${url} has kid ${kids.map((k) => JSON.stringify(k)).join(', ') || 'none'}`);
  return sets.length ? `; ${sets.join('; ')}` : '';
}

function deny(status: number, message: string, reason: string | null, hint: string | null) {
  return { verdict: 'deny' as const, status, message, reason, hint };
}

/** Puts the token where the operation's first provider looks (ESP v1: always `Authorization: Bearer`). */
function place(token: string, op: Operation | undefined, path: string, dialect: Compatibility) {
  const first: TokenLocation | undefined = dialect === 'espv2' && op ? providersOf(op)[0]?.locations[0] : undefined;
  const loc: TokenLocation = first ?? { in: 'header', name: 'authorization', prefix: 'Bearer ' };
  const headers: Record<string, string> = { host: 'explain.local' };
  let url = path;
  if (loc.in === 'header') headers[loc.name] = loc.prefix + token;
  else if (loc.in === 'query') url += `${path.includes('?') ? '&' : '?'}${encodeURIComponent(loc.name)}=${encodeURIComponent(token)}`;
  else headers.cookie = `${loc.name}=${token}`;
  return { location: describeLocation(loc), headers, url };
}

const offlineFetch: typeof fetch = () => Promise.reject(new Error('offline: keys are not downloaded'));
