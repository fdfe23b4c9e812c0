import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Reply, SendInit } from '../helpers/http.js';
import { espv2Body } from '../helpers/app.js';
import { bearer } from '../helpers/refusal.js';
import type { fixture } from '../helpers/fixture.js';
import { NOW_S } from '../helpers/tokens.js';

export interface EdgeTarget {
  /** Sends a request to the bundled worker-entry.ts; `host` is what the Worker sees in its URL. */
  send(path: string, init?: SendInit): Promise<Reply>;
  readonly host: string;
  /** The names of the `env` bindings the platform passes. */
  readonly env: readonly string[];
}

/**
 * The adapter matrix, run on the main entry inside a browser-like runtime: keys downloaded from the
 * loopback key server, ESP's exact refusals, the open operation, the forged user-info header, and the
 * platform's extra arguments handed on.
 */
export function edgeMatrix(getF: () => Awaited<ReturnType<typeof fixture>>, target: () => EdgeTarget): void {
  const refusal = (r: Reply, path: string, status: number, message: string) => {
    assert.equal(r.status, status, r.text);
    assert.equal(r.text, espv2Body(status, message));
    assert.equal(r.headers.get('content-type'), 'application/json');
    const realm = `Bearer realm="http://${target().host}${path}"`;
    assert.equal(r.headers.get('www-authenticate'), message === 'Jwt is missing' ? realm : `${realm}, error="invalid_token"`);
  };

  it('a valid token reaches the handler with its claims, ESP user info, env and ctx; no Buffer, no process', async () => {
    const f = getF();
    const token = await f.token({ email: 'a@example.com' });
    const r = await target().send('/v1/shelves/7', { headers: { ...bearer(token), 'x-endpoint-api-userinfo': 'forged' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.reached, true);
    assert.equal(r.json.sub, 'user-1');
    assert.equal(r.json.email, 'a@example.com');
    assert.equal(r.json.operationId, 'getShelf');
    assert.equal(JSON.parse(Buffer.from(r.json.userinfo, 'base64url').toString('utf8')).email, 'a@example.com');
    assert.deepEqual(r.json.env, target().env);
    assert.equal(r.json.ctx, 'function');
    assert.deepEqual(r.json.platform, { buffer: 'undefined', process: 'undefined' });
    assert.equal(f.server.count('/jwks'), 1);
  });

  it('a missing token gets ESP\'s exact 401', async () => {
    refusal(await target().send('/v1/shelves'), '/v1/shelves', 401, 'Jwt is missing');
  });

  it('an expired token gets ESP\'s exact 401', async () => {
    const r = await target().send('/v1/shelves', { headers: bearer(await getF().token({ exp: NOW_S - 3600 })) });
    refusal(r, '/v1/shelves', 401, 'Jwt is expired');
  });

  it('a token for another audience gets ESP\'s exact 403', async () => {
    const r = await target().send('/v1/shelves', { headers: bearer(await getF().token({ aud: 'someone-else' })) });
    refusal(r, '/v1/shelves', 403, 'Audiences in Jwt are not allowed');
  });

  it('security: [] is open, and a forged user info never reaches the handler', async () => {
    const r = await target().send('/v1/public', { headers: { 'x-endpoint-api-userinfo': 'forged' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.operationId, null);
    assert.equal(r.json.userinfo, null);
  });

  it('the keys were downloaded once for every token checked', () => {
    assert.equal(getF().server.count('/jwks'), 1);
  });
}
