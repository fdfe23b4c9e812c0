import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import endpointsAuthPlugin from '../../lib/fastify/index.js';

// Fastify hands a plugin its own register options (prefix, logLevel) beside ours: they are not
// unknown options of espresso-jwt, while a misspelt option of ours still is.
const spec = { swagger: '2.0', info: { title: 't', version: '1' }, host: 'api.example.com', paths: { '/x': { get: { operationId: 'x', security: [], responses: { 200: { description: 'ok' } } } } } };

describe('Fastify plugin options', () => {
  it("accepts Fastify's own register options beside the document", async () => {
    const app = Fastify();
    await app.register(endpointsAuthPlugin, { spec, prefix: '/api', logLevel: 'warn' } as never);
    await app.ready();
    await app.close();
  });

  it('still refuses a misspelt option of its own, naming the closest', async () => {
    const app = Fastify();
    await assert.rejects(
      async () => {
        await app.register(endpointsAuthPlugin, { spec, clockSkew: 30 } as never);
        await app.ready();
      },
      /unknown option clockSkew \(did you mean "clockSkewSeconds"\?\)/,
    );
    await app.close().catch(() => {});
  });
});
