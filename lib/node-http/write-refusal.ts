import type { ServerResponse } from 'node:http';
import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';

/** Writes ESP's response as is, through Node's own API so that no framework adds a charset or an ETag. */
export function writeRefusal(res: ServerResponse, error: EndpointsAuthError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('content-length', Buffer.byteLength(error.body));
  res.end(error.body);
}
