import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { espv2Body, startApp, type TestApp } from '../helpers/app.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { endpointsAuth, loadOpenApi, SpecError } from '../../lib/index.js';
import { compileRequirements } from '../../lib/requirements/compile-requirements.js';
import type { Operation, Provider } from '../../lib/openapi/model.js';

// Every document of ../shared/openapi-corpus (real files others wrote, read in place, never copied) is
// loaded and every operation sent a request without credentials and one with what it needs, through a
// real app. Key URLs in the documents point at the internet: keys are served from memory by `fetch`.
const CORPUS = fileURLToPath(new URL('../../../shared/openapi-corpus/', import.meta.url));
const present = existsSync(`${CORPUS}MANIFEST.json`);
const API_KEY_MISSING =
  "UNAUTHENTICATED: Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const KEYS_URL = 'https://keys.corpus.invalid/jwks';
const AUGMENT_AUDIENCE = 'corpus-audience';

interface Entry { file: string; operations: number; augment: boolean }

/**
 * MANIFEST "augment": documents without x-google providers get one in memory. Their http bearer schemes
 * become providers (OpenAI's two, Stripe's bearerAuth); with none, a new scheme guards every operation
 * (GitHub). Requirements naming a scheme that cannot carry a provider (Stripe's basicAuth) are dropped.
 */
function augment(doc: any): void {
  const schemes = ((doc.components ??= {}).securitySchemes ??= {});
  let providers = 0;
  for (const [name, s] of Object.entries<any>(schemes)) {
    if (s.type !== 'http' || String(s.scheme).toLowerCase() !== 'bearer') continue;
    Object.assign(s, { 'x-google-issuer': `https://${name}.corpus.test`, 'x-google-jwks_uri': KEYS_URL, 'x-google-audiences': AUGMENT_AUDIENCE });
    providers++;
  }
  if (providers === 0) {
    schemes.corpus_jwt = { type: 'oauth2', flows: {}, 'x-google-auth': { issuer: 'https://corpus.test', jwksUri: KEYS_URL, audiences: [AUGMENT_AUDIENCE] } };
    doc.security = [{ corpus_jwt: [] }];
  }
  const checkable = (req: object) => Object.keys(req).every((n) => schemes[n]?.['x-google-issuer'] || schemes[n]?.['x-google-auth'] || schemes[n]?.type === 'apiKey');
  if (doc.security) doc.security = doc.security.filter(checkable);
  for (const item of Object.values<any>(doc.paths)) {
    for (const op of Object.values<any>(item)) if (Array.isArray(op?.security)) op.security = op.security.filter(checkable);
  }
}

/** Every key and discovery download answered from memory with one JWKS. */
function memoryFetch(key: TestKey): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    const body = url.endsWith('/.well-known/openid-configuration') ? { jwks_uri: KEYS_URL } : jwks(key);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

/** A concrete request path for a template: each variable or wildcard becomes a value no literal uses. */
function concretePath(op: Operation): string {
  const path = op.template.split('?')[0]!.replace(/\{[^}]*\}/g, 'v-1').replace(/(^|\/)\*\*?(?=\/|$)/g, '$1w-1');
  return op.query.length ? `${path}?${new URLSearchParams(op.query.map(([k, v]) => [k, v]))}` : path;
}

describe('the corpus: every document loads and every operation is guarded', { skip: present ? false : `no ${CORPUS}: corpus test skipped` }, () => {
  const manifest: Entry[] = present ? JSON.parse(readFileSync(`${CORPUS}MANIFEST.json`, 'utf8')).documents : [];
  let key: TestKey;
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (p: Provider, aud: string, scopes: readonly string[]) => {
    const id = `${p.issuer}\u0000${aud}\u0000${scopes.join(' ')}`;
    if (!tokens.has(id)) tokens.set(id, mint(key, { iss: p.issuer, sub: 'corpus', aud, exp: NOW_S + 3600, ...(scopes.length ? { scope: scopes.join(' ') } : {}) }));
    return tokens.get(id)!;
  };
  before(async () => {
    key = await makeKey('RS256');
  });

  for (const entry of manifest) {
    describe(entry.file, () => {
      let doc: any;
      let app: TestApp;
      before(async () => {
        doc = await loadOpenApi(CORPUS + entry.file);
        if (entry.augment) augment(doc);
        app = await startApp(doc, { fetch: memoryFetch(key), apiKey: 'presence' });
      });
      after(() => app?.close());

      it('needs the apiKey option exactly when some operation names an API key', () => {
        const needs = app.auth.engine.model.operations.some((op) => op.alternatives.some((a) => a.apiKeys.length));
        if (needs) assert.throws(() => endpointsAuth(doc, { fetch: memoryFetch(key) }), (e: unknown) => e instanceof SpecError && /requires an API key/.test(e.message));
        else endpointsAuth(doc, { fetch: memoryFetch(key) }).close();
      });

      it('answers every operation without credentials and with valid ones', async () => {
        const { model } = app.auth.engine;
        assert.equal(new Set(model.operations.map((op) => op.path)).size, entry.operations);
        const jobs = model.operations.map((op) => () => checkOperation(op, model.serviceName));
        for (let i = 0; i < jobs.length; i += 16) await Promise.all(jobs.slice(i, i + 16).map((job) => job()));
      });

      async function checkOperation(op: Operation, serviceName: string | undefined): Promise<void> {
        const reqs = compileRequirements(op, serviceName);
        const path = concretePath(op);
        const label = `${op.method} ${path} (${op.id})`;

        const bare = await app.send(path, { method: op.method });
        if (reqs.open) assert.equal(bare.json?.reached, true, `${label} is open: ${bare.text}`);
        else assert.equal(bare.text, espv2Body(401, reqs.espTerms.length ? 'Jwt is missing' : API_KEY_MISSING), label);

        // Credentials that satisfy both readings: a requirement object with at most one JWT provider,
        // plus a token of an Endpoints provider when that object has none.
        const alt = reqs.alternatives.find((a) => a.jwt.length === 1 && reqs.espTerms.includes(a.jwt[0]!.term)) ?? reqs.alternatives.find((a) => a.jwt.length <= 1);
        const terms = alt?.jwt.length ? alt.jwt : reqs.espTerms.slice(0, 1).map((term) => ({ term, scopes: [] as readonly string[] }));
        const headers: Record<string, string> = {};
        const query = new URLSearchParams();
        for (const { term, scopes } of terms) {
          const t = reqs.terms[term]!;
          const token = await tokenFor(t.provider, [...t.allowed][0]!, scopes);
          const loc = t.provider.locations[0]!;
          if (loc.in === 'header') headers[loc.name] = loc.prefix + token;
          else if (loc.in === 'query') query.set(loc.name, token);
          else headers.cookie = `${loc.name}=${token}`;
        }
        for (const k of alt?.apiKeys ?? []) {
          const loc = k.locations[0]!;
          if (loc.in === 'header') headers[loc.name] = 'corpus-key';
          else query.set(loc.name, 'corpus-key');
        }
        const sep = path.includes('?') ? '&' : '?';
        const full = query.size ? `${path}${sep}${query}` : path;
        const r = await app.send(full, { method: op.method, headers });
        assert.equal(r.json?.reached, true, `${label} with credentials: ${r.text}`);
        if (terms.length && !reqs.open) assert.equal(r.json.auth?.operationId, op.id, `${label} matched ${r.json.auth?.operationId}`);
      }
    });
  }
});
