import assert from 'node:assert/strict';
import { AUDIENCE, ISSUER, type fixture } from './fixture.js';
import type { Reply } from './http.js';
import type { AuthInfo } from '../../lib/index.js';

// A handler that gets req.auth tries to change what a later decision reads: it pushes the audience
// that /v1/admin needs, writes the scope that /v1/scoped needs, and edits a nested claim. The same
// token must still be refused on both, in every shell, because the token's verified objects are frozen.

/** Every change a handler could try; reports what it could do (nothing, when frozen). */
export function tamper(auth: AuthInfo | null | undefined): { changed: string[] } {
  const changed: string[] = [];
  const attempts: [string, () => void][] = [
    ['audiences', () => (auth!.audiences as string[]).push('admin-audience')],
    ['claims.aud', () => (auth!.claims.aud as string[]).push('admin-audience')],
    ['claims.scope', () => ((auth!.claims as Record<string, unknown>).scope = 'write')],
    ['claims.nested', () => ((auth!.claims.nested as Record<string, unknown>).role = 'admin')],
  ];
  for (const [name, attempt] of attempts) {
    try {
      attempt();
      changed.push(name);
    } catch {
      // TypeError: a frozen object (strict mode). Nothing changed.
    }
  }
  return { changed };
}

/** The bookstore plus an operation that needs another audience of the same issuer, and one that needs a scope. */
export function documentWithAdmin(f: Awaited<ReturnType<typeof fixture>>) {
  const d = f.doc();
  d.securityDefinitions.admin = { ...d.securityDefinitions.issuer, 'x-google-audiences': 'admin-audience' };
  d.paths['/v1/admin'] = { get: { operationId: 'admin', security: [{ admin: [] }], responses: { 200: { description: 'ok' } } } };
  d.paths['/v1/scoped'] = { get: { operationId: 'scoped', security: [{ issuer: ['write'] }], responses: { 200: { description: 'ok' } } } };
  return d;
}

/** The attack against one running shell: tamper on /v1/shelves, then the same token elsewhere. */
export async function attack(request: (path: string, token: string) => Promise<Reply>, token: string): Promise<void> {
  const first = await request('/v1/shelves', token);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.json.changed, [], 'no part of req.auth could be changed');
  for (const path of ['/v1/admin', '/v1/scoped']) {
    const r = await request(path, token);
    assert.equal(r.status, 403, `${path} after tampering: ${r.text}`);
  }
}

export const tokenClaims = { aud: [AUDIENCE], iss: ISSUER, nested: { role: 'reader' } };

