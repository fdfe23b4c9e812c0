import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyServerState {
  status: number;
  body: string;
  contentType: string;
  /** Delay before answering, ms. */
  delayMs: number;
  headers: Record<string, string>;
}

/**
 * A real key server on 127.0.0.1 that a test steers: what it answers at each path, how late, and how
 * many requests it got. Paths not set answer 404.
 */
export class KeyServer {
  private readonly server: http.Server;
  private readonly routes = new Map<string, KeyServerState>();
  /** Requests received, by path. */
  readonly hits = new Map<string, number>();
  base = '';

  constructor() {
    this.server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const route = this.routes.get(path);
      const answer = () => {
        if (res.destroyed) return;
        if (!route) {
          res.statusCode = 404;
          res.end('not found');
          return;
        }
        res.statusCode = route.status;
        res.setHeader('content-type', route.contentType);
        for (const [k, v] of Object.entries(route.headers)) res.setHeader(k, v);
        res.end(route.body);
      };
      if (route?.delayMs) setTimeout(answer, route.delayMs).unref();
      else answer();
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Serve JSON (or text) at a path; returns the full URL. */
  serve(path: string, body: unknown, init: Partial<Omit<KeyServerState, 'body'>> = {}): string {
    this.routes.set(path, {
      status: init.status ?? 200,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      contentType: init.contentType ?? (typeof body === 'string' ? 'text/plain' : 'application/json'),
      delayMs: init.delayMs ?? 0,
      headers: init.headers ?? {},
    });
    return this.url(path);
  }

  url(path: string): string {
    return this.base + path;
  }

  count(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  get total(): number {
    let n = 0;
    for (const v of this.hits.values()) n += v;
    return n;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
