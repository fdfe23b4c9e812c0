import type { IncomingMessage } from 'node:http';

const USER_INFO = 'x-endpoint-api-userinfo';

/**
 * Removes a client-sent `X-Endpoint-API-UserInfo` from every view Node offers of the request
 * (`headers`, `rawHeaders`, `headersDistinct`), so that a forged identity never reaches a backend that
 * trusts the header. Ours: ESPv2 strips it only on operations that require a JWT.
 */
export function stripUserInfo(req: IncomingMessage): void {
  // Node builds headersDistinct from rawHeaders once, using the original header count, so it must
  // be built before rawHeaders shrinks; it is then kept, and cleaned like the others.
  const distinct = req.headersDistinct;
  delete distinct[USER_INFO];
  delete req.headers[USER_INFO];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === USER_INFO) raw.splice(i, 2);
  }
}
