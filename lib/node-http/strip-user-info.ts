import type { IncomingMessage } from 'node:http';

const USER_INFO = 'x-endpoint-api-userinfo';

/**
 * Removes a client-sent `X-Endpoint-API-UserInfo` from every view Node offers of the request
 * (`headers`, `rawHeaders`, `headersDistinct`), so that a forged identity never reaches a backend that
 * trusts the header. Ours: ESPv2 strips it only on operations that require a JWT.
 */
export function stripUserInfo(req: IncomingMessage, headers = req.headers, raw = req.rawHeaders): void {
  if (!hasUserInfo(raw)) {
    // `delete` sends an object to V8's slow dictionary mode, and everything after us reads headers:
    // only delete what is there (an app may have set it before us).
    if (headers[USER_INFO] !== undefined) delete headers[USER_INFO];
    return;
  }
  // Node builds headersDistinct from rawHeaders once, using the original header count, so it must
  // be built before rawHeaders shrinks; it is then kept, and cleaned like the others.
  const distinct = req.headersDistinct;
  delete distinct[USER_INFO];
  delete headers[USER_INFO];
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]!.toLowerCase() === USER_INFO) raw.splice(i, 2);
  }
}

/** The common case costs one pass over the raw names, comparing lengths first. */
function hasUserInfo(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === USER_INFO.length && name.toLowerCase() === USER_INFO) return true;
  }
  return false;
}
