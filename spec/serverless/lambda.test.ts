import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import serverless from 'serverless-http';
import { fixture } from '../helpers/fixture.js';
import { espv2Body } from '../helpers/app.js';
import { httpApiEvent, lambdaContext, restApiEvent } from '../helpers/api-gateway.js';
import { NOW_S } from '../helpers/tokens.js';
import { endpointsAuth, type EndpointsAuth } from '../../lib/index.js';

type LambdaReply = { statusCode: number; headers: Record<string, string>; body: string };

// The Express middleware in AWS Lambda through serverless-http, invoked with API Gateway events of real shape.
describe('AWS Lambda: the middleware through serverless-http', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let auth: EndpointsAuth;
  let invoke: (event: object) => Promise<LambdaReply>;
  let invokeStaged: (event: object) => Promise<LambdaReply>;
  before(async () => {
    f = await fixture();
    auth = endpointsAuth(f.doc());
    const app = express();
    app.use(auth);
    app.use((req, res) => {
      res.json({ url: req.originalUrl, sub: req.auth?.claims.sub ?? null, operation: req.auth?.operationId ?? null, userinfo: req.headers['x-endpoint-api-userinfo'] ?? null });
    });
    const handler = serverless(app);
    const staged = serverless(app, { basePath: '/prod' });
    invoke = async (event: object) => (await handler(event, lambdaContext)) as LambdaReply;
    invokeStaged = async (event: object) => (await staged(event, lambdaContext)) as LambdaReply;
  });
  after(async () => {
    auth.close();
    await f.server.stop();
  });

  for (const [name, make] of [['REST API (v1)', restApiEvent], ['HTTP API (v2)', httpApiEvent]] as const) {
    describe(name, () => {
      it('passes a valid token: the path, query and Authorization header reach the middleware', async () => {
        const r = await invoke(make({ path: '/v1/shelves/9', query: 'view=full', headers: { Authorization: `Bearer ${await f.token()}` } }));
        assert.equal(r.statusCode, 200);
        const body = JSON.parse(r.body);
        assert.equal(body.url, '/v1/shelves/9?view=full');
        assert.equal(body.operation, 'getShelf');
        assert.equal(body.sub, 'user-1');
        assert.equal(JSON.parse(Buffer.from(body.userinfo, 'base64url').toString('utf8')).sub, 'user-1');
      });

      it('answers a missing token with ESP status, headers and body (realm from X-Forwarded-Proto and Host)', async () => {
        const r = await invoke(make({ path: '/v1/shelves' }));
        assert.equal(r.statusCode, 401);
        assert.equal(r.body, espv2Body(401, 'Jwt is missing'));
        assert.equal(r.headers['content-type'], 'application/json');
        assert.equal(r.headers['www-authenticate'], 'Bearer realm="https://abc123defg.execute-api.us-east-1.amazonaws.com/v1/shelves"');
      });

      it('refuses an expired token and a wrong audience', async () => {
        const expired = await invoke(make({ path: '/v1/shelves', headers: { Authorization: `Bearer ${await f.token({ exp: NOW_S - 3600 })}` } }));
        assert.equal(expired.statusCode, 401);
        assert.equal(expired.body, espv2Body(401, 'Jwt is expired'));
        const audience = await invoke(make({ path: '/v1/shelves', method: 'POST', body: '{}', headers: { Authorization: `Bearer ${await f.token({ aud: 'x' })}` } }));
        assert.equal(audience.statusCode, 403);
        assert.equal(audience.body, espv2Body(403, 'Audiences in Jwt are not allowed'));
      });
    });
  }

  it('HTTP API on a named stage: rawPath keeps /prod, which the document does not know unless basePath strips it', async () => {
    const token = await f.token();
    const event = () => httpApiEvent({ path: '/prod/v1/shelves', stage: 'prod', headers: { authorization: `Bearer ${token}` } });
    const unstripped = await invoke(event());
    assert.equal(unstripped.statusCode, 404);
    assert.equal(unstripped.body, espv2Body(404, 'The current request is not defined by this API.'));
    const stripped = await invokeStaged(event());
    assert.equal(stripped.statusCode, 200);
    assert.equal(JSON.parse(stripped.body).url, '/v1/shelves');
  });
});
