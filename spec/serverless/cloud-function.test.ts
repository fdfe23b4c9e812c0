import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { bookstore, fixture } from '../helpers/fixture.js';
import { espv2Body } from '../helpers/app.js';
import { send } from '../helpers/http.js';
import { NOW_S } from '../helpers/tokens.js';
import type { Request, Response } from 'express';
import { withEndpointsAuth, type HandlerAuth } from '../../lib/index.js';

// The real functions-framework server (the one its CLI starts), on 127.0.0.1, calling a wrapped function.
describe('Cloud Functions: withEndpointsAuth under @google-cloud/functions-framework', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let server: Server;
  let base: string;
  let guarded: { readonly auth: HandlerAuth };
  let failing: { readonly auth: HandlerAuth };
  let calls = 0;
  before(async () => {
    f = await fixture();
    const shelves = withEndpointsAuth(f.doc(), (req: Request, res: Response) => {
      calls++;
      res.json({ sub: req.auth?.claims.sub ?? null, operation: req.auth?.operationId ?? null, userinfo: req.headers['x-endpoint-api-userinfo'] ?? null });
    });
    functions.http('shelves', shelves);
    guarded = shelves;
    const throwing = withEndpointsAuth(f.doc(), async (_req: Request, _res: Response) => {
      throw new Error('handler failed');
    });
    functions.http('failing', throwing);
    failing = throwing;
    server = getTestServer('shelves');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    guarded.auth.close();
    failing.auth.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await f.server.stop();
  });

  it('refuses the onError option, which it could not honour, at start-up', () => {
    assert.throws(
      () => withEndpointsAuth(bookstore('http://127.0.0.1:9/unused'), () => undefined, { onError: 'next' } as never),
      (e: unknown) => e instanceof TypeError && /option onError does not apply to withEndpointsAuth/.test(e.message),
    );
    // Left undefined, as everywhere else, it is not set.
    withEndpointsAuth(bookstore('http://127.0.0.1:9/unused'), () => undefined, { onError: undefined } as never).auth.close();
  });

  it('runs the function with req.auth and the user-info header for a valid token', async () => {
    const r = await send(base, '/v1/shelves/3', { headers: { authorization: `Bearer ${await f.token()}`, 'x-endpoint-api-userinfo': 'forged' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.sub, 'user-1');
    assert.equal(r.json.operation, 'getShelf');
    assert.notEqual(r.json.userinfo, 'forged');
    assert.equal(JSON.parse(Buffer.from(r.json.userinfo, 'base64url').toString('utf8')).sub, 'user-1');
  });

  it('answers missing, expired and wrong-audience tokens as ESP does, without running the function', async () => {
    const before = calls;
    const missing = await send(base, '/v1/shelves');
    assert.equal(missing.status, 401);
    assert.equal(missing.text, espv2Body(401, 'Jwt is missing'));
    assert.equal(missing.headers.get('content-type'), 'application/json');
    assert.equal(missing.headers.get('www-authenticate'), `Bearer realm="http://${new URL(base).host}/v1/shelves"`);
    const expired = await send(base, '/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ exp: NOW_S - 3600 })}` } });
    assert.equal(expired.status, 401);
    assert.equal(expired.text, espv2Body(401, 'Jwt is expired'));
    const audience = await send(base, '/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ aud: 'other' })}` } });
    assert.equal(audience.status, 403);
    assert.equal(audience.text, espv2Body(403, 'Audiences in Jwt are not allowed'));
    assert.equal(calls, before);
  });

  it('keeps keys and verified tokens across warm invocations (one engine per wrapper)', async () => {
    const token = await f.token({ sub: 'warm' });
    const fetchesBefore = f.server.count('/jwks');
    for (let i = 0; i < 3; i++) {
      const r = await send(base, '/v1/shelves', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.json.sub, 'warm');
    }
    assert.equal(f.server.count('/jwks'), fetchesBefore);
    assert.ok(f.server.count('/jwks') <= 1);
    assert.ok(guarded.auth.engine.tokenCache.size >= 1);
  });

  it('auth.check gives the decision the function acts on, with no framework in between', async () => {
    const request = (token?: string) => ({ method: 'GET', url: '/v1/shelves/3', headers: token ? { authorization: `Bearer ${token}` } : {} });
    const passed = await guarded.auth.check(request(await f.token({ sub: 'checked' })));
    assert.ok(passed.ok);
    assert.equal(passed.auth?.claims.sub, 'checked');
    assert.equal(passed.operationId, 'getShelf');
    const refused = await guarded.auth.check(request());
    assert.ok(!refused.ok);
    assert.equal(refused.error.status, 401);
    assert.equal(refused.error.body, espv2Body(401, 'Jwt is missing'));
  });

  it("lets the framework see an async function's rejection (its crash response)", async () => {
    const other = getTestServer('failing');
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const r = await send(`http://127.0.0.1:${(other.address() as AddressInfo).port}`, '/v1/shelves', { headers: { authorization: `Bearer ${await f.token()}` } });
      assert.equal(r.status, 500);
    } finally {
      other.closeAllConnections();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});
