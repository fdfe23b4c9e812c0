import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { Module, type Type } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { GraphQLModule, Query, Resolver } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { fixture } from '../helpers/fixture.js';
import { serveNest, type TestNestApp } from '../helpers/nest-app.js';
import { Claims, EndpointsAuthGuard, EndpointsAuthModule, Public, UncheckableContextError } from '../../lib/nest/index.js';
import { endpointsAuth } from '../../lib/index.js';

// GraphQL resolvers sit behind one HTTP route (POST /graphql); the guard checks that HTTP request,
// which @nestjs/graphql hands every resolver as `context.req`. A real GraphQL module (Apollo Server 5
// through @as-integrations/express5, on Nest's Express platform) over HTTP on 127.0.0.1. Apollo's
// Fastify integration is not installed, so GraphQL runs on Express only here. A refused resolver's
// error carries ESP's message, Apollo's code and ESP's WWW-Authenticate; the status stays 200 because
// Nest's Apollo driver resets it whenever the body has `data`.
const ok = { 200: { description: 'ok' } };
const typeDefs = 'type Query { me: String, shelves: [String] }';
let resolved = 0;

@Resolver()
class ShelvesResolver {
  @Query('me')
  me(@Claims('sub') sub: string) {
    resolved++;
    return sub;
  }

  @Query('shelves')
  shelves() {
    resolved++;
    return ['fiction'];
  }
}

@Public()
@Resolver()
class PublicResolver {
  @Query('me')
  me(@Claims('sub') sub: string | undefined) {
    resolved++;
    return sub ?? 'anonymous';
  }
}

const graphql = () => GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, typeDefs });

describe('NestJS GraphQL: resolvers are checked on their HTTP request', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  const apps: TestNestApp[] = [];
  before(async () => {
    f = await fixture();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await f.server.stop();
  });
  const start = async (paths: Record<string, unknown>, resolver: Type) => {
    const d = f.doc();
    d.paths = paths;
    @Module({ imports: [EndpointsAuthModule.forRoot({ spec: d }), graphql()], providers: [resolver] })
    class AppModule {}
    const app = await serveNest(AppModule);
    apps.push(app);
    return app;
  };
  const query = (app: TestNestApp, q: string, headers: Record<string, string> = {}) =>
    app.send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: q }) });

  it("POST /graphql guarded by the document: no resolver runs without a token; the errors carry ESP's message and WWW-Authenticate", async () => {
    const app = await start({ '/graphql': { post: { operationId: 'graphql', responses: ok } } }, ShelvesResolver);
    resolved = 0;
    const r = await query(app, '{ me shelves }');
    assert.equal(resolved, 0, 'no resolver ran');
    assert.deepEqual(r.json.data, { me: null, shelves: null });
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/graphql"$/);
    assert.equal(r.json.errors[0].message, 'Jwt is missing');
    assert.equal(r.json.errors[0].extensions.code, 'UNAUTHENTICATED');
    assert.equal(r.json.errors[0].extensions.reason, 'jwt_missing');

    const wrongAudience = await query(app, '{ me }', { authorization: `Bearer ${await f.token({ aud: 'someone-else' })}` });
    assert.equal(wrongAudience.json.errors[0].message, 'Audiences in Jwt are not allowed');
    assert.equal(wrongAudience.json.errors[0].extensions.code, 'FORBIDDEN');
    assert.equal(resolved, 0, 'no resolver ran');

    const good = await query(app, '{ me shelves }', { authorization: `Bearer ${await f.token()}` });
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.json.data, { me: 'user-1', shelves: ['fiction'] });
  });

  it("a document without /graphql refuses it as ESP does (not defined), unless the resolver is @Public()", async () => {
    const closed = await start({ '/v1/shelves': { get: { operationId: 'listShelves', responses: ok } } }, ShelvesResolver);
    resolved = 0;
    const r = await query(closed, '{ shelves }');
    assert.equal(r.json.errors[0].message, 'The current request is not defined by this API.');
    assert.equal(r.json.errors[0].extensions.reason, 'operation_not_defined');
    assert.equal(resolved, 0);

    const open = await start({ '/v1/shelves': { get: { operationId: 'listShelves', responses: ok } } }, PublicResolver);
    assert.deepEqual((await query(open, '{ me }')).json.data, { me: 'anonymous' });
  });

  it('a context with no HTTP request to read (a microservice message, a WebSocket event) is refused', async () => {
    const auth = endpointsAuth(f.doc());
    try {
      const guard = new EndpointsAuthGuard(auth);
      for (const type of ['rpc', 'ws']) {
        const context = new ExecutionContextHost([{ pattern: 'shelves' }, {}], ShelvesResolver, ShelvesResolver.prototype.shelves);
        context.setType(type);
        await assert.rejects(guard.canActivate(context), (e: unknown) => e instanceof UncheckableContextError && e.code === 'ERR_ENDPOINTS_AUTH_CONTEXT' && e.contextType === type);
      }
      const graphqlWithoutRequest = new ExecutionContextHost([{}, {}, {}, {}], ShelvesResolver, ShelvesResolver.prototype.shelves);
      graphqlWithoutRequest.setType('graphql');
      await assert.rejects(guard.canActivate(graphqlWithoutRequest), UncheckableContextError);
    } finally {
      auth.close();
    }
  });
});
