import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { send, type Reply, type SendInit } from './http.js';
import { endpointsAuth, type EndpointsAuth, type EndpointsAuthOptions } from '../../lib/index.js';

export interface TestApp {
  readonly base: string;
  readonly auth: EndpointsAuth;
  /** Sends a request; returns status, headers and the body text (and JSON when it parses). */
  send(path: string, init?: SendInit): Promise<Reply>;
  close(): Promise<void>;
}


/**
 * A real Express app on 127.0.0.1 guarded by endpointsAuth. Every request that passes reaches a
 * handler that echoes what the backend sees (method, url, the user-info header as `req.headers`,
 * `req.rawHeaders` and `req.headersDistinct` show it, req.auth). `serverOptions` go to node:http
 * (e.g. `maxHeaderSize`); `framework` makes the app (Express 5 unless Express 4 is asked for).
 */
export async function startApp(
  spec: unknown,
  options?: EndpointsAuthOptions,
  configure?: (app: express.Express, auth: EndpointsAuth) => void,
  serverOptions: http.ServerOptions = {},
  framework: () => express.Express = express,
): Promise<TestApp> {
  const auth = endpointsAuth(spec, options);
  const app = framework();
  if (configure) configure(app, auth);
  else app.use(auth);
  app.use((req, res) => {
    res.json({
      reached: true,
      method: req.method,
      url: req.originalUrl,
      userinfo: req.headers['x-endpoint-api-userinfo'] ?? null,
      rawUserinfo: req.rawHeaders.filter((_, i, a) => i % 2 === 1 && a[i - 1]!.toLowerCase() === 'x-endpoint-api-userinfo'),
      distinctUserinfo: req.headersDistinct['x-endpoint-api-userinfo'] ?? null,
      auth: req.auth ?? null,
    });
  });
  app.use((err: any, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(599).json({ nextError: { name: err?.name, status: err?.status, message: err?.message, reason: err?.reason } });
  });
  const server = http.createServer(serverOptions, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    auth,
    send: (path, init) => send(base, path, init),
    async close() {
      auth.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { Reply };

/** ESPv2's error body, byte for byte. */
export const espv2Body = (code: number, message: string): string => `${JSON.stringify({ code, message })}\n`;

/** ESP v1's error body (protobuf's printer, one-space indent, trailing newline), byte for byte. */
export const esp1Body = (code: number, message: string, detail: 'auth' | 'service_control' = 'auth'): string =>
  `{\n "code": ${code},\n "message": ${JSON.stringify(message)},\n "details": [\n  {\n   "@type": "type.googleapis.com/google.rpc.DebugInfo",\n   "stackEntries": [],\n   "detail": "${detail}"\n  }\n ]\n}\n`;
