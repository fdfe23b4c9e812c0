import assert from 'node:assert/strict';
import { espv2Body, type Reply } from './app.js';

/**
 * Asserts ESPv2's refusal byte for byte: status, `{"code","message"}` body, JSON content type and
 * Envoy's `WWW-Authenticate` (realm from the app's host and the path as sent; `error="invalid_token"`
 * unless the token was missing).
 */
export function assertRefusal(r: Reply, base: string, path: string, status: number, message: string): void {
  assert.equal(r.status, status, `status of ${path}: ${r.text}`);
  assert.equal(r.text, espv2Body(status, message));
  assert.equal(r.headers.get('content-type'), 'application/json');
  const realm = `Bearer realm="http://${new URL(base).host}${path.slice(0, 256)}"`;
  assert.equal(r.headers.get('www-authenticate'), message === 'Jwt is missing' ? realm : `${realm}, error="invalid_token"`);
}

/** Asserts that the request reached the backend's echo handler. */
export function assertReached(r: Reply): void {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json?.reached, true);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
