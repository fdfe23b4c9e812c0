import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyServerState {
  status: number;
  body: string;
  contentType: string;
  /** Delay before answering, ms. */
  delayMs: number;
  /**
   * Answer only once this settles (never, if it never does): lets a test hold a download open and
   * assert what happens meanwhile, by the order of events rather than by time.
   */
  gate: Promise<void> | undefined;
  headers: Record<string, string>;
  /**
   * How the answer goes out: `whole` with a Content-Length, `chunked` in 64 KiB pieces with no length
   * (so only a reader that counts can stop a huge body), `drop` closes the connection without a word.
   */
  send: 'whole' | 'chunked' | 'drop';
}

const CHUNK = 64 * 1024;

/**
 * A real key server on 127.0.0.1 that a test steers: what it answers at each path, how late, and how
 * many requests it got. Paths not set answer 404.
 */
export class KeyServer {
  private readonly server: http.Server;
  private readonly routes = new Map<string, KeyServerState>();
  private readonly waiters: { path: string; count: number; resolve: () => void }[] = [];
  /** Requests received, by path. */
  readonly hits = new Map<string, number>();
  base = '';

  constructor() {
    this.server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      this.wake(path);
      const route = this.routes.get(path);
      const answer = () => {
        if (res.destroyed) return;
        if (!route) {
          res.statusCode = 404;
          res.end('not found');
          return;
        }
        if (route.send === 'drop') {
          req.socket.destroy();
          return;
        }
        res.statusCode = route.status;
        res.setHeader('content-type', route.contentType);
        for (const [k, v] of Object.entries(route.headers)) res.setHeader(k, v);
        if (route.send === 'whole') {
          res.end(route.body);
          return;
        }
        // No Content-Length: node sends chunked; stop writing once the reader has hung up.
        let at = 0;
        const pump = () => {
          while (at < route.body.length && !res.destroyed) {
            const piece = route.body.slice(at, (at += CHUNK));
            if (!res.write(piece)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
      };
      if (route?.gate) void route.gate.then(answer);
      else if (route?.delayMs) setTimeout(answer, route.delayMs).unref();
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
      gate: init.gate,
      headers: init.headers ?? {},
      send: init.send ?? 'whole',
    });
    return this.url(path);
  }

  url(path: string): string {
    return this.base + path;
  }

  count(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  /** Resolves once `path` has been requested `count` times in all (at once if it already has). */
  reached(path: string, count: number): Promise<void> {
    if (this.count(path) >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ path, count, resolve }));
  }

  /** A gate for `serve`, opened by calling `open`. */
  static gate(): { gate: Promise<void>; open: () => void } {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    return { gate, open };
  }

  private wake(path: string): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.path === path && this.count(path) >= w.count) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
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
