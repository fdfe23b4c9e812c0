import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestDescription } from '../core/request-view.js';

/** The plain description of a Node/Express request that the core decides on. */
export function toDescription(req: IncomingMessage & { originalUrl?: string }): RequestDescription & { raw: unknown } {
  return {
    method: req.method ?? 'GET',
    url: req.originalUrl ?? req.url ?? '/',
    headers: req.headers,
    secure: (req.socket as TLSSocket | undefined)?.encrypted === true,
    raw: req,
  };
}
