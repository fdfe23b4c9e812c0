import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ShellRequest } from '../kernel/request-view.js';

/**
 * The plain description of a Node/Express request that the core decides on. The operation is matched on
 * `req.url`, the path Express's router routes on: under `app.use('/api', ...)` or a mounted Router it is
 * the part after the mount path, while `req.originalUrl` (the realm's URL) keeps the whole.
 */
export function toDescription(req: IncomingMessage & { originalUrl?: string }, raw: unknown = req, routed = false): ShellRequest {
  const url = req.url ?? '/';
  return {
    method: req.method ?? 'GET',
    url: req.originalUrl ?? url,
    routingUrl: url,
    headers: everyValue(req),
    secure: (req.socket as TLSSocket | undefined)?.encrypted === true,
    raw,
    lowerCaseNames: true,
    routed,
  };
}

/**
 * `req.headers` with every value a client sent for a repeated header. Node keeps only the first
 * `Authorization` (and joins most other repeats with ", "), while Envoy extracts a token from every
 * value and requires each to be valid: a second, unchecked `Authorization` must not slip past to a
 * backend that reads `rawHeaders`. A header that the app changed before this middleware (it no longer
 * equals what Node derived from the raw values) is taken as the app left it.
 */
function everyValue(req: IncomingMessage): IncomingHttpHeaders | Record<string, string | string[] | undefined> {
  // No name repeats when every raw header became its own key: the usual case, with nothing to build.
  if (req.rawHeaders.length === 2 * countKeys(req.headers)) return req.headers;
  const distinct = req.headersDistinct;
  let out: Record<string, string | string[] | undefined> | undefined;
  for (const [name, values] of Object.entries(distinct)) {
    if (!values || values.length < 2 || name === 'cookie') continue;
    const current = req.headers[name];
    if (current === values[0] || current === values.join(', ')) (out ??= { ...req.headers })[name] = values;
  }
  return out ?? req.headers;
}

function countKeys(headers: IncomingHttpHeaders): number {
  let n = 0;
  for (const _ in headers) n++;
  return n;
}
