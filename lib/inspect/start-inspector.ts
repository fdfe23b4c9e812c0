import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Compatibility } from '../kernel/config.js';
import { messageOf } from '../kernel/message-of.js';
import { answerQuestion } from './answer-question.js';
import { summarizeDocument } from './document-summary.js';
import { loadPageAssets } from './page-assets.js';

export interface InspectorOptions {
  /** The OpenAPI document, as `endpointsAuth` takes it (an object). */
  readonly spec: unknown;
  /** Port on 127.0.0.1. Default 0: a free port chosen by the system. */
  readonly port?: number;
  /** The compatibility the page starts with (the page can switch). Default `'espv2'`. */
  readonly compatibility?: Compatibility;
  /** Service name for the default audience `https://<service name>`. Default: the document's `host`. */
  readonly serviceName?: string;
  /** Milliseconds since the epoch, for the time checks and the page's "in 5 min". Default `Date.now`. */
  readonly now?: () => number;
}

export interface Inspector {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  close(): Promise<void>;
}

// The page loads its own files and talks to this server only: no other origin, no inline script or
// style, no framing, no form posts anywhere.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};
/** Largest request body read, in bytes: a token is a few KiB at most. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Serves the token inspector on 127.0.0.1: the page, the document's operations (`GET /api/document`)
 * and `POST /api/inspect` (answered by `answerQuestion`, that is by `explain`), to this machine's
 * browser only.
 */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const now = options.now ?? Date.now;
  const summary = summarizeDocument(options.spec, options.compatibility ?? 'espv2', options.serviceName);
  const choices = new Set(summary.operations.map((o) => o.value));
  const assets = await loadPageAssets();
  let hosts: ReadonlySet<string> = new Set();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // Only this machine's own names: a page elsewhere that rebinds a DNS name to 127.0.0.1 is refused.
    if (!hosts.has(req.headers.host ?? '')) return send(res, 421, 'text/plain; charset=utf-8', 'unknown host\n');
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/api/inspect') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST only\n', { allow: 'POST' });
      // Another origin's page can neither post JSON here without a preflight nor pass this check.
      const origin = req.headers.origin;
      if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, ''))) return json(res, 403, { error: 'cross-origin requests are refused' });
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return json(res, 415, { error: 'send application/json' });
      const body = await readBody(req);
      if (body === undefined) return json(res, 413, { error: `the request is larger than ${MAX_BODY_BYTES} bytes` }, { connection: 'close' });
      const answer = await answerQuestion(body, { spec: options.spec, operations: choices, serviceName: options.serviceName, now });
      return json(res, answer.status, answer.body);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only\n', { allow: 'GET, HEAD' });
    if (path === '/api/document') return json(res, 200, summary);
    const asset = assets.get(path);
    if (!asset) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    return send(res, 200, asset.contentType, asset.body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) res.destroy();
      else json(res, 500, { error: `the inspector failed: ${messageOf(e)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // A browser leaves the default port out of Host and Origin.
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, ...(port === 80 ? ['127.0.0.1', 'localhost'] : [])]);
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, headers);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
