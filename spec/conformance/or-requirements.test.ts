import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey, type TestKey } from '../helpers/keys.js';
import { AUDIENCE, providersDoc } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { mint, NOW_S } from '../helpers/tokens.js';
import { assertReached, assertRefusal } from '../helpers/refusal.js';

// Envoy's "requires any": the request passes when one provider accepts. When all fail, the reported
// error is the last one in requirement order that is neither "missing" nor "unknown issuer"; else
// "Jwt issuer is not configured" if a provider said so; else "Jwt is missing".
const ok = { 200: { description: 'ok' } };

describe('OR requirements and the reported error', () => {
  let server: KeyServer;
  let app: TestApp;
  let a: TestKey;
  let b: TestKey;
  before(async () => {
    server = await new KeyServer().start();
    a = await makeKey('RS256');
    b = await makeKey('ES256');
    const providers = [
      { name: 'A', issuer: 'https://a.test', jwksUri: server.serve('/a', jwks(a)), locations: [{ header: 'x-a' }] },
      { name: 'B', issuer: 'https://b.test', jwksUri: server.serve('/b', jwks(b)), locations: [{ header: 'x-b' }] },
      { name: 'C', issuer: 'https://c.test', jwksUri: server.serve('/c', jwks(a)), audiences: 'c-only' },
      { name: 'D', issuer: 'https://a.test', jwksUri: server.serve('/d', jwks(a)) },
    ];
    app = await startApp(
      providersDoc(providers, {
        '/ab': { get: { operationId: 'ab', security: [{ A: [] }, { B: [] }], responses: ok } },
        '/ba': { get: { operationId: 'ba', security: [{ B: [] }, { A: [] }], responses: ok } },
        '/cd': { get: { operationId: 'cd', security: [{ C: [] }, { D: [] }], responses: ok } },
      }),
    );
  });
  after(async () => {
    await app.close();
    await server.stop();
  });

  const token = (key: TestKey, iss: string, claims: Record<string, unknown> = {}) => mint(key, { iss, aud: AUDIENCE, exp: NOW_S + 600, ...claims });
  const forged = async (key: TestKey, iss: string) => (await token(key, iss)).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');

  it('a valid A token passes and names provider A', async () => {
    const r = await app.send('/ab', { headers: { 'x-a': await token(a, 'https://a.test') } });
    assertReached(r);
    assert.equal(r.json.auth.provider, 'A');
  });
  it('a valid B token passes and names provider B', async () => {
    const r = await app.send('/ab', { headers: { 'x-b': await token(b, 'https://b.test') } });
    assertReached(r);
    assert.equal(r.json.auth.provider, 'B');
  });
  it('a valid B token passes even when A\'s token is bad', async () => {
    assertReached(await app.send('/ab', { headers: { 'x-a': await forged(a, 'https://a.test'), 'x-b': await token(b, 'https://b.test') } }));
  });
  it('no token anywhere -> Jwt is missing', async () => assertRefusal(await app.send('/ab'), app.base, '/ab', 401, 'Jwt is missing'));
  it('A expired, B missing -> A\'s error (missing is never reported over a real one)', async () => {
    const r = await app.send('/ab', { headers: { 'x-a': await token(a, 'https://a.test', { exp: 1000 }) } });
    assertRefusal(r, app.base, '/ab', 401, 'Jwt is expired');
  });

  const both = async () => ({ 'x-a': await token(a, 'https://a.test', { exp: 1000 }), 'x-b': await forged(b, 'https://b.test') });
  it('A expired, B forged, requirement [A, B] -> the last real error: B\'s', async () =>
    assertRefusal(await app.send('/ab', { headers: await both() }), app.base, '/ab', 401, 'Jwt verification fails'));
  it('the same tokens, requirement [B, A] -> A\'s', async () =>
    assertRefusal(await app.send('/ba', { headers: await both() }), app.base, '/ba', 401, 'Jwt is expired'));
  it('unknown issuer in both locations -> Jwt issuer is not configured', async () => {
    const r = await app.send('/ab', { headers: { 'x-a': await token(a, 'https://z.test'), 'x-b': await token(b, 'https://z.test') } });
    assertRefusal(r, app.base, '/ab', 401, 'Jwt issuer is not configured');
  });
  it('unknown issuer for A, B missing -> Jwt issuer is not configured', async () =>
    assertRefusal(await app.send('/ab', { headers: { 'x-a': await token(a, 'https://z.test') } }), app.base, '/ab', 401, 'Jwt issuer is not configured'));
  it('one token read by both providers of [C, D]: C says unknown issuer, D says audience -> 403', async () => {
    const r = await app.send('/cd', { headers: { authorization: `Bearer ${await token(a, 'https://a.test', { aud: 'nobody' })}` } });
    assertRefusal(r, app.base, '/cd', 403, 'Audiences in Jwt are not allowed');
  });
  it('one token read by both providers of [C, D]: D accepts', async () =>
    assertReached(await app.send('/cd', { headers: { authorization: `Bearer ${await token(a, 'https://a.test')}` } })));
});
