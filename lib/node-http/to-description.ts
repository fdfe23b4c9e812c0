import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ShellRequest } from '../kernel/request-view.js';

/**
 * What the check reads of a Node request, each property read once. Express gives every request its
 * own hidden class (it swaps the request's prototype, then adds properties), so V8 cannot cache a
 * property lookup on it: each read costs a lookup of a few hundred nanoseconds, more than the rest of
 * a cached token's check. Everything below reads these values, never `req` again.
 */
export interface NodeRequestParts {
  readonly method: string;
  /** `req.url`: what Express's router routes on (below a mount path). */
  readonly url: string;
  /** `req.originalUrl` where Express set it, else `req.url`. */
  readonly originalUrl: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
}

export function readNodeRequest(req: IncomingMessage & { originalUrl?: string }): NodeRequestParts {
  const url = req.url ?? '/';
  return { method: req.method ?? 'GET', url, originalUrl: req.originalUrl ?? url, headers: req.headers, rawHeaders: req.rawHeaders };
}

/**
 * The plain description of a Node/Express request that the core decides on. The operation is matched on
 * `req.url`, the path Express's router routes on: under `app.use('/api', ...)` or a mounted Router it is
 * the part after the mount path, while `req.originalUrl` (the realm's URL) keeps the whole. Whether the
 * connection is TLS is read only when a refusal's realm needs it.
 */
export function toDescription(req: IncomingMessage, parts: NodeRequestParts, raw: unknown = req, routed = false): ShellRequest {
  return new NodeDescription(req, parts, raw, routed);
}

/** A class, so that `secure` is one getter on its prototype (an object literal with a getter is built slowly, per request). */
class NodeDescription implements ShellRequest {
  readonly method: string;
  readonly url: string;
  readonly routingUrl: string;
  readonly headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  readonly lowerCaseNames = true;

  constructor(
    private readonly req: IncomingMessage,
    parts: NodeRequestParts,
    readonly raw: unknown,
    readonly routed: boolean,
  ) {
    this.method = parts.method;
    this.url = parts.originalUrl;
    this.routingUrl = parts.url;
    this.headers = everyValue(req, parts);
  }

  get secure(): boolean {
    return (this.req.socket as TLSSocket | undefined)?.encrypted === true;
  }
}

/**
 * `req.headers` with every value a client sent for a repeated header. Node keeps only the first
 * `Authorization` (and joins most other repeats with ", "), while Envoy extracts a token from every
 * value and requires each to be valid: a second, unchecked `Authorization` must not slip past to a
 * backend that reads `rawHeaders`. A header that the app changed before this middleware (it no longer
 * equals what Node derived from the raw values) is taken as the app left it.
 */
function everyValue(req: IncomingMessage, { headers, rawHeaders }: NodeRequestParts): IncomingHttpHeaders | Record<string, string | string[] | undefined> {
  // The usual case, with nothing to build: no name repeats among the headers the client sent. Read
  // from the raw names themselves: a key an app added to `req.headers` must not hide a repeat.
  if (!hasRepeatedName(rawHeaders)) return headers;
  const distinct = req.headersDistinct;
  let out: Record<string, string | string[] | undefined> | undefined;
  for (const [name, values] of Object.entries(distinct)) {
    if (!values || values.length < 2 || name === 'cookie') continue;
    const current = headers[name];
    if (current === values[0] || current === values.join(', ')) (out ??= { ...headers })[name] = values;
  }
  return out ?? headers;
}

/** Raw headers beyond which names are not compared pair by pair: the caller then reads them in one pass. */
const PAIRWISE_LIMIT = 64;

/**
 * Whether some header name was sent twice (names compared without regard to case, lengths first, so
 * that the usual request lowercases nothing). Past a few dozen headers it answers true, and the caller
 * builds the full view, linear in the number of headers, rather than compare every pair.
 */
function hasRepeatedName(raw: readonly string[]): boolean {
  if (raw.length > 2 * PAIRWISE_LIMIT) return true;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    for (let j = i + 2; j < raw.length; j += 2) {
      const other = raw[j]!;
      if (other.length === name.length && other.toLowerCase() === name.toLowerCase()) return true;
    }
  }
  return false;
}
