import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import endpointsAuthPlugin from '../../lib/fastify/index.js';
import { fixture } from '../helpers/fixture.js';
import { send } from '../helpers/http.js';

// What adapters.md tells a Fastify user with routes of their own outside the document (a health
// check): register the plugin inside a plugin of its own, with the documented routes. Routes outside
// that scope are not checked; those inside are, as on the root instance.
describe('Fastify: the plugin registered in a scope of its own', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: FastifyInstance;
  let base: string;
  before(async () => {
    f = await fixture();
    app = Fastify();
    app.get('/health', async () => ({ ok: true }));
    await app.register(async (api) => {
      await api.register(endpointsAuthPlugin, { spec: f.doc() });
      api.get('/v1/shelves', async (request) => ({ sub: (request as { auth?: { claims: { sub?: string } } }).auth?.claims.sub }));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  it('a route outside the scope answers without a token', async () => {
    const r = await send(base, '/health');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(JSON.parse(r.text), { ok: true });
  });

  it("a documented route inside it is refused without a token, with ESP's answer", async () => {
    const r = await send(base, '/v1/shelves');
    assert.equal(r.status, 401);
    assert.equal(r.text, '{"code":401,"message":"Jwt is missing"}\n');
  });

  it('and passes with a valid one, the claims on request.auth', async () => {
    const r = await send(base, '/v1/shelves', { headers: { authorization: `Bearer ${await f.token({ sub: 'alice' })}` } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(JSON.parse(r.text), { sub: 'alice' });
  });
});
