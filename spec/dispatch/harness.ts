import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AUDIENCE } from '../helpers/fixture.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { dispatchDocument, ISSUER_A, ISSUER_B, OPERATIONS, type DocumentOptions, type Need } from './dispatch-document.js';

/**
 * The dispatch-agreement property, for any framework: a fixture starts the framework guarding the
 * document of dispatch-document.ts, with one handler per operation; generated requests go to it over
 * raw sockets (so that no client tidies the target); whenever a handler runs, the request must have
 * been held to that operation or a stricter one: its token (if it needs one) valid for that operation's
 * provider, and `auth` the check's answer for an operation asking the same.
 */

/** Every handler answers with these headers: which operation's handler ran, and the check's `auth.operationId`. */
export const RAN = 'x-ran';
export const CHECKED = 'x-auth-operation';

export interface DispatchApp {
  readonly port: number;
  /** Where the document's paths start on this app: '' or a mount path such as '/api'. */
  readonly prefix: string;
  close(): Promise<void>;
}

/** One way of running a framework with the middleware. */
export interface DispatchFixture {
  readonly name: string;
  /**
   * Starts the framework on 127.0.0.1 (port 0), guarded by the middleware built from `spec`, with a
   * handler for every operation of dispatch-document.ts (its `operationId`) that answers 200 with
   * `x-ran: <operationId>` and `x-auth-operation: <the auth's operationId, or empty>`.
   */
  start(spec: Record<string, unknown>): Promise<DispatchApp>;
}

export interface PropertyOptions {
  /** Requests per fixture and document. */
  readonly runs?: number;
  /** The documents to run each fixture with; by default ESP's (configured) and allow: all with CORS. */
  readonly documents?: readonly (DocumentOptions & { readonly name: string })[];
}

const DOCUMENTS = [
  { name: 'x-google-allow: configured', allowAll: false, allowCors: false },
  { name: 'x-google-allow: all, allowCors', allowAll: true, allowCors: true },
] as const;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
/** Segments the document uses, and some it does not. */
const WORDS = ['items', 'search', 'users', 'me', 'files', 'public', 'reports', 'docs', 'upper', 'Upper', 'case', 'Case', '7', 'x.json', '2024-01-02.csv', 'a-b-c-d.csv', '.csv', '--.csv', 'readme', '.', '..', ''];

interface DispatchCase {
  readonly method: string;
  readonly target: string;
  readonly override: string | undefined;
  readonly credential: Need;
}

/** A request target built from the document's words, then played with the ways a router may read differently. */
function targetArbitrary(prefix: string): fc.Arbitrary<string> {
  const fromTemplate = fc.constantFrom(...OPERATIONS.map((o) => o.template)).chain((template) =>
    fc.tuple(...template.split('/').slice(1).map((segment) => (segment.includes('{') ? segmentValue(segment) : fc.constant(segment)))).map((segs) => `/${segs.join('/')}`),
  );
  const fromWords = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 4 }).map((segs) => `/${segs.join('/')}`);
  const path = fc.oneof({ weight: 3, arbitrary: fromTemplate }, { weight: 1, arbitrary: fromWords });
  return fc
    .record({
      path,
      cases: fc.array(fc.nat(), { maxLength: 3 }),
      escapes: fc.array(fc.record({ at: fc.nat(), upper: fc.boolean() }), { maxLength: 2 }),
      trailing: fc.constantFrom('', '', '', '/', '//'),
      doubled: fc.option(fc.nat(), { freq: 6 }),
      query: fc.constantFrom('', '', '?x=1', '?a=/items/search'),
      fragment: fc.constantFrom('', '', '', '', '#x', '#/../items/search', '#?y'),
      absolute: fc.constantFrom('', '', '', '', 'http://h.test', 'HTTP://h.test:80'),
      prefixCase: fc.boolean(),
    })
    .map((t) => {
      let p = t.path;
      for (const c of t.cases) p = flipCase(p, c);
      for (const e of t.escapes) p = escapeAt(p, e.at, e.upper);
      if (t.doubled !== null) {
        const slashes = [...p.matchAll(/\//g)].map((m) => m.index!);
        const at = slashes[t.doubled % slashes.length]!;
        p = `${p.slice(0, at)}/${p.slice(at)}`;
      }
      const mount = t.prefixCase ? prefix.toUpperCase() : prefix;
      return `${t.absolute}${mount}${p}${t.trailing}${t.query}${t.fragment}`;
    });
}

/** Values a variable may take: ordinary ones, the document's own literals, and tricky ones. */
function segmentValue(segment: string): fc.Arbitrary<string> {
  const plain = fc.constantFrom('7', 'search', 'me', 'ME', 'public', 'x.json', '2024-01-02.csv', 'a%2Fb', '..', '.', '%73earch', 'case', 'Case');
  if (segment.includes('=**')) return fc.array(plain, { maxLength: 3 }).map((s) => s.join('/'));
  return plain;
}

function flipCase(path: string, at: number): string {
  const i = at % Math.max(path.length, 1);
  const c = path[i] ?? '';
  const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return path.slice(0, i) + flipped + path.slice(i + 1);
}

/** Percent-encodes one letter or digit of the path (what a client may do to any unreserved character). */
function escapeAt(path: string, at: number, upper: boolean): string {
  const spots = [...path.matchAll(/[A-Za-z0-9.]/g)].map((m) => m.index!);
  if (spots.length === 0) return path;
  const i = spots[at % spots.length]!;
  const hex = path.charCodeAt(i).toString(16);
  return `${path.slice(0, i)}%${upper ? hex.toUpperCase() : hex}${path.slice(i + 1)}`;
}

const caseArbitrary = (prefix: string): fc.Arbitrary<DispatchCase> =>
  fc.record({
    method: fc.constantFrom(...METHODS),
    target: targetArbitrary(prefix),
    override: fc.option(
      fc.oneof(fc.constantFrom(...METHODS), fc.constantFrom(...METHODS).map((m) => m.toLowerCase()), fc.constantFrom('TRACE', 'FOO', 'GET, POST')),
      { freq: 3, nil: undefined },
    ),
    credential: fc.constantFrom<Need>('open', 'A', 'B'),
  });

export interface RawReply {
  readonly status: number;
  readonly headers: Map<string, string>;
  /** What arrived of the body with the head (all of a short refusal). */
  readonly body: string;
}

/** One request written as is on a fresh connection; the status and headers of the answer. */
export function sendRaw(port: number, method: string, target: string, headers: Record<string, string>): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error(`${method} ${target}: no answer`)));
    // The server closes the connection after its answer (Connection: close).
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = (split === -1 ? text : text.slice(0, split)).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
      const map = new Map<string, string>();
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) map.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({ status, headers: map, body: split === -1 ? '' : text.slice(split + 4) });
    });
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: h.test', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

const NEED_OF = new Map(OPERATIONS.map((o) => [o.id, o.need]));

/**
 * The property for one request and its answer: no 5xx; and a handler that ran belongs to an open
 * operation, or the request carried a valid token of that operation's provider and `auth` names an
 * operation asking the same provider (the check held it to that operation or one as strict).
 */
function assertAgreement(c: DispatchCase, reply: RawReply): void {
  const where = `${c.method} ${c.target}${c.override !== undefined ? ` (override ${c.override})` : ''} with credential ${c.credential}`;
  assert.ok(reply.status > 0 && reply.status < 500, `${where}: answered ${reply.status}`);
  const ran = reply.headers.get(RAN);
  if (ran === undefined) return;
  const need = NEED_OF.get(ran);
  assert.ok(need, `${where}: unknown handler ${ran}`);
  if (need === 'open') return;
  assert.equal(c.credential, need, `${where}: the handler of ${ran} (needs ${need}) ran with credential ${c.credential}`);
  const checked = reply.headers.get(CHECKED) ?? '';
  assert.equal(NEED_OF.get(checked), need, `${where}: the handler of ${ran} ran, but the check decided for "${checked}"`);
}

/**
 * Registers the property for each fixture and document as node:test suites. `runs` requests each
 * (fixed seed per suite, so a failure is reproducible; fast-check shrinks it to a small case).
 */
export function dispatchProperty(fixtures: readonly DispatchFixture[], options: PropertyOptions = {}): void {
  const runs = options.runs ?? 300;
  const documents = options.documents ?? DOCUMENTS;
  let keys: DispatchKeys;
  before(async () => {
    keys = await dispatchKeys();
  });
  after(async () => {
    await keys.stop();
  });
  for (const fixture of fixtures) {
    for (const document of documents) {
      describe(`${fixture.name}, ${document.name}`, () => {
        let app: DispatchApp;
        before(async () => {
          app = await fixture.start(keys.document(document));
        });
        after(async () => {
          await app.close();
        });
        it(`the handler that runs is the operation checked, or one as strict (${runs} requests)`, async () => {
          await fc.assert(
            fc.asyncProperty(caseArbitrary(app.prefix), async (c) => {
              const headers: Record<string, string> = {};
              if (c.override !== undefined) headers['X-HTTP-Method-Override'] = c.override;
              if (c.credential !== 'open') headers.Authorization = `Bearer ${keys.tokens[c.credential]}`;
              assertAgreement(c, await sendRaw(app.port, c.method, c.target, headers));
            }),
            { numRuns: runs, seed: seedOf(`${fixture.name} ${document.name}`) },
          );
        });
      });
    }
  }
}

/** The two providers of the dispatch document: their keys on a loopback key server, a valid token of each. */
export interface DispatchKeys {
  readonly tokens: { readonly A: string; readonly B: string };
  /** The dispatch document with these providers' JWKS URLs. */
  document(options?: DocumentOptions): Record<string, unknown>;
  stop(): Promise<void>;
}

async function dispatchKeys(): Promise<DispatchKeys> {
  const server = await new KeyServer().start();
  const tokens: Record<string, string> = {};
  for (const [need, issuer] of [['A', ISSUER_A], ['B', ISSUER_B]] as const) {
    const key = await makeKey('ES256');
    server.serve(`/${need}`, jwks(key));
    tokens[need] = await mint(key, { iss: issuer, sub: `user-${need}`, aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 3600 });
  }
  return {
    tokens: { A: tokens.A!, B: tokens.B! },
    document: (options) => dispatchDocument(`${server.base}/A`, `${server.base}/B`, options),
    stop: () => server.stop(),
  };
}

/**
 * For a red-team suite: the dispatch keys, made before the enclosing `describe`'s tests and stopped
 * after them. The object is filled in by that `before`, so tests read it, set-up code does not.
 */
export function keysForSuite(): DispatchKeys {
  const keys = {} as { -readonly [K in keyof DispatchKeys]: DispatchKeys[K] };
  before(async () => {
    Object.assign(keys, await dispatchKeys());
  });
  after(async () => {
    await keys.stop();
  });
  return keys;
}

/**
 * An app of `fixture` guarded by the dispatch document (with `options`), started before the enclosing
 * `describe`'s tests and closed after them; its port and prefix are read once it runs.
 */
export function startedBefore(fixture: DispatchFixture, keys: DispatchKeys, options?: DocumentOptions): DispatchApp {
  let app: DispatchApp | undefined;
  before(async () => {
    app = await fixture.start(keys.document(options));
  });
  after(async () => {
    await app?.close();
  });
  const running = () => app ?? assert.fail(`${fixture.name} is not running: read it inside a test`);
  return {
    get port() {
      return running().port;
    },
    get prefix() {
      return running().prefix;
    },
    close: () => running().close(),
  };
}

/** A fixed seed per suite name: reproducible runs that still differ between suites. */
function seedOf(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
