import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Catch, HttpException, Module, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { fixture } from '../helpers/fixture.js';
import { espv2Body } from '../helpers/app.js';
import { startNestApp, type TestNestApp } from '../helpers/nest-app.js';
import { NOW_S } from '../helpers/tokens.js';
import { EndpointsAuthModule } from '../../lib/nest/index.js';

const decode = (userinfo: string) => JSON.parse(Buffer.from(userinfo, 'base64url').toString('utf8'));

// Real Nest applications over HTTP on 127.0.0.1, one per way of putting `/v1` in front of the routes.
for (const variant of ['forRoot + global prefix', 'forRootAsync + URI versioning', 'forRoot on Fastify'] as const) {
  describe(`NestJS: ${variant}`, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    let app: TestNestApp;
    before(async () => {
      f = await fixture();
      const doc = f.doc();
      if (variant === 'forRootAsync + URI versioning') {
        @Module({ providers: [{ provide: 'OPENAPI', useValue: doc }], exports: ['OPENAPI'] })
        class ConfigModule {}
        const auth = EndpointsAuthModule.forRootAsync({ imports: [ConfigModule], inject: ['OPENAPI'], useFactory: async (spec: unknown) => ({ spec, clockSkewSeconds: 0 }) });
        app = await startNestApp(auth, { versioning: true });
      } else {
        app = await startNestApp(EndpointsAuthModule.forRoot({ spec: doc }), { fastify: variant === 'forRoot on Fastify' });
      }
    });
    after(async () => {
      await app.close();
      await f.server.stop();
    });
    const bearer = async (claims: Record<string, unknown> = {}) => ({ authorization: `Bearer ${await f.token(claims)}` });

    it('a valid token reaches the handler: @Claims(), @Claims(name), ESP user info (client copy replaced)', async () => {
      const r = await app.send('/v1/shelves', { headers: { ...(await bearer({ email: 'a@example.com' })), 'x-endpoint-api-userinfo': 'forged' } });
      assert.equal(r.status, 200);
      assert.equal(r.json.claims.sub, 'user-1');
      assert.equal(r.json.claims.email, 'a@example.com');
      assert.equal(r.json.email, 'a@example.com');
      assert.equal(decode(r.json.userinfo).email, 'a@example.com');
    });

    it("maps Nest's :shelf route to the document's {shelf} operation", async () => {
      const r = await app.send('/v1/shelves/42', { headers: await bearer() });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { shelf: '42', sub: 'user-1' });
      assert.equal((await app.send('/v1/shelves/42')).text, espv2Body(401, 'Jwt is missing'));
    });

    it("a missing token gets ESP's status, headers and body, not Nest's exception JSON", async () => {
      const r = await app.send('/v1/shelves', { method: 'POST' });
      assert.equal(r.status, 401);
      assert.equal(r.text, espv2Body(401, 'Jwt is missing'));
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.equal(r.headers.get('content-length'), String(Buffer.byteLength(r.text)));
      assert.equal(r.headers.get('www-authenticate'), `Bearer realm="http://${new URL(app.base).host}/v1/shelves"`);
    });

    it('an expired token: 401 Jwt is expired', async () => {
      const r = await app.send('/v1/shelves', { headers: await bearer({ exp: NOW_S - 3600 }) });
      assert.equal(r.status, 401);
      assert.equal(r.text, espv2Body(401, 'Jwt is expired'));
      assert.equal(r.headers.get('www-authenticate'), `Bearer realm="http://${new URL(app.base).host}/v1/shelves", error="invalid_token"`);
    });

    it('a wrong audience: 403', async () => {
      const r = await app.send('/v1/shelves', { headers: await bearer({ aud: 'someone-else' }) });
      assert.equal(r.status, 403);
      assert.equal(r.text, espv2Body(403, 'Audiences in Jwt are not allowed'));
    });

    it('an open operation passes without a token, with no claims and no forged user info', async () => {
      const r = await app.send('/v1/public', { headers: { 'x-endpoint-api-userinfo': 'forged' } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { claims: null, userinfo: null });
    });

    it('a Nest route the document does not define is refused as ESP refuses it', async () => {
      const r = await app.send('/v1/health', { headers: await bearer() });
      assert.equal(r.status, 404);
      assert.equal(r.text, espv2Body(404, 'The current request is not defined by this API.'));
    });
  });
}

describe("NestJS: the application's own exception filters", () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestNestApp;
  before(async () => {
    f = await fixture();
    const doc = f.doc();
    doc.paths['/v1/health/gone'] = { get: { operationId: 'gone', security: [], responses: { 200: { description: 'ok' } } } };
    // The filter of Nest's documentation, registered the usual way: it formats every HttpException.
    @Catch(HttpException)
    class HttpExceptionFilter implements ExceptionFilter<HttpException> {
      catch(e: HttpException, host: ArgumentsHost) {
        host.switchToHttp().getResponse().status(e.getStatus()).json({ mine: true, status: e.getStatus() });
      }
    }
    app = await startNestApp(EndpointsAuthModule.forRoot({ spec: doc }), { configure: (a) => a.useGlobalFilters(new HttpExceptionFilter()) });
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  it("leave ESP's answer alone (a refusal is an EndpointsAuthError, not an HttpException)", async () => {
    const r = await app.send('/v1/shelves');
    assert.equal(r.status, 401);
    assert.equal(r.text, espv2Body(401, 'Jwt is missing'));
  });

  it("still answer the handlers' own exceptions", async () => {
    const r = await app.send('/v1/health/gone');
    assert.equal(r.status, 410);
    assert.deepEqual(r.json, { mine: true, status: 410 });
  });
});
