import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { espv2Body } from '../helpers/app.js';
import { NOW_S } from '../helpers/tokens.js';
import { endpointsAuth, type EndpointsAuth, type AuthInfo } from '../../lib/index.js';

// The Fetch API shell, called with real Request objects (as Hono, Next.js, Bun and Deno hand them over).
describe('Fetch API: auth.fetchHandler and auth.checkRequest', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let auth: EndpointsAuth;
  const seen: { request: Request; auth: AuthInfo | null }[] = [];
  let handle: (request: Request) => Promise<Response>;
  before(async () => {
    f = await fixture();
    auth = endpointsAuth(f.doc());
    handle = auth.fetchHandler(async (request, info) => {
      seen.push({ request, auth: info });
      return Response.json({ sub: info?.claims.sub ?? null, body: await request.text() });
    });
  });
  after(async () => {
    auth.close();
    await f.server.stop();
  });
  const url = (path: string) => `http://shelves.example${path}`;

  it('hands on the same Request, its headers edited, when they can be; a copy when they cannot or when each read makes new ones', async () => {
    const token = await f.token();
    const headers = { authorization: `Bearer ${token}`, 'x-endpoint-api-userinfo': 'forged' };
    const payload = token.split('.')[1];

    const mutable = new Request(url('/v1/shelves/7'), { headers });
    const edited = await auth.checkRequest(mutable);
    assert.ok(edited.ok);
    assert.equal(edited.request, mutable, 'no copy where the headers can be changed');
    assert.equal(mutable.headers.get('x-endpoint-api-userinfo'), payload);

    // A platform's incoming request: its headers are immutable (as Workers' and the Edge runtime's are).
    const frozen = new Request(url('/v1/shelves/7'), { headers });
    const immutable = frozen.headers;
    Object.defineProperty(frozen, 'headers', { get: () => immutable });
    Object.defineProperty(immutable, 'set', { value: () => { throw new TypeError('immutable'); } });
    Object.defineProperty(immutable, 'delete', { value: () => { throw new TypeError('immutable'); } });
    const copied = await auth.checkRequest(frozen);
    assert.ok(copied.ok);
    assert.notEqual(copied.request, frozen);
    assert.equal(copied.request.headers.get('x-endpoint-api-userinfo'), payload);

    // A Request whose getter makes new Headers on every read: editing one would reach nobody.
    class FreshHeaders extends Request {
      override get headers(): Headers {
        return new Headers(super.headers);
      }
    }
    const fresh = new FreshHeaders(url('/v1/shelves/7'), { headers });
    const handedOn = await auth.checkRequest(fresh);
    assert.ok(handedOn.ok);
    assert.notEqual(handedOn.request, fresh);
    assert.equal(handedOn.request.headers.get('x-endpoint-api-userinfo'), payload);
  });

  it('calls the handler with the claims and ESP user info; a client-sent user info is replaced', async () => {
    seen.length = 0;
    const token = await f.token({ email: 'a@example.com' });
    const r = await handle(new Request(url('/v1/shelves/7?x=1'), { headers: { authorization: `Bearer ${token}`, 'x-endpoint-api-userinfo': 'forged' } }));
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { sub: 'user-1', body: '' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.auth?.operationId, 'getShelf');
    assert.equal(seen[0]!.auth?.claims.email, 'a@example.com');
    const info = seen[0]!.request.headers.get('x-endpoint-api-userinfo');
    assert.ok(info && info !== 'forged');
    assert.equal(JSON.parse(Buffer.from(info, 'base64url').toString('utf8')).email, 'a@example.com');
    assert.equal(seen[0]!.request.url, url('/v1/shelves/7?x=1'));
  });

  it('hands a request body on untouched', async () => {
    const r = await handle(new Request(url('/v1/shelves'), { method: 'POST', body: '{"name":"new"}', headers: { authorization: `Bearer ${await f.token()}` } }));
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { sub: 'user-1', body: '{"name":"new"}' });
  });

  it('answers a missing token as ESP does, without calling the handler', async () => {
    seen.length = 0;
    const r = await handle(new Request(url('/v1/shelves')));
    assert.equal(r.status, 401);
    assert.equal(await r.text(), espv2Body(401, 'Jwt is missing'));
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="http://shelves.example/v1/shelves"');
    assert.equal(seen.length, 0);
  });

  it('checkRequest gives the error and the Response for an expired token', async () => {
    const token = await f.token({ exp: NOW_S - 3600 });
    const r = await auth.checkRequest(new Request(url('/v1/shelves'), { headers: { authorization: `Bearer ${token}` } }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.reason, 'jwt_expired');
    assert.equal(r.response.status, 401);
    assert.equal(await r.response.text(), espv2Body(401, 'Jwt is expired'));
    assert.equal(r.response.headers.get('www-authenticate'), 'Bearer realm="http://shelves.example/v1/shelves", error="invalid_token"');
  });

  it('checkRequest refuses a wrong audience with 403', async () => {
    const r = await auth.checkRequest(new Request(url('/v1/shelves'), { headers: { authorization: `Bearer ${await f.token({ aud: 'someone-else' })}` } }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.response.status, 403);
    assert.equal(await r.response.text(), espv2Body(403, 'Audiences in Jwt are not allowed'));
  });

  it('lets an open operation through with auth null, and uses https for the realm', async () => {
    const r = await auth.checkRequest(new Request('https://shelves.example/v1/public'));
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.equal(r.auth, null);
    assert.equal(r.request.headers.get('x-endpoint-api-userinfo'), null);
    const refused = await auth.checkRequest(new Request('https://shelves.example/v1/shelves'));
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.equal(refused.response.headers.get('www-authenticate'), 'Bearer realm="https://shelves.example/v1/shelves"');
  });
});
