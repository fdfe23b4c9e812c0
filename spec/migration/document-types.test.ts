import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenAPIV2, OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { endpointsAuth, lint, listRoutes, loadOpenApi, withEndpointsAuth, type OpenApiDocument } from '../../lib/index.js';

// The type check is half of this test: documents typed with openapi-types are taken as they are
// (so an editor completes them), and so is a parsed document of unknown shape.
// openapi-types declares no x- fields on a Swagger 2.0 security scheme: the scheme is widened to carry them.
const swagger2: OpenAPIV2.Document = {
  swagger: '2.0',
  info: { title: 't', version: '1' },
  host: 'api.example',
  securityDefinitions: {
    google: { type: 'oauth2', flow: 'implicit', authorizationUrl: '', scopes: {}, 'x-google-issuer': 'https://issuer.example', 'x-google-jwks_uri': 'https://issuer.example/jwks' } as OpenAPIV2.SecuritySchemeOauth2,
  },
  security: [{ google: [] }],
  paths: { '/v1/x': { get: { operationId: 'getX', responses: { 200: { description: 'ok' } } } } },
};
const openapi3: OpenAPIV3.Document = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: { '/v1/x': { get: { operationId: 'getX', security: [], responses: { 200: { description: 'ok' } } } } },
};
const openapi31: OpenAPIV3_1.Document = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/v1/x': { get: { operationId: 'getX', responses: {} } } } };

describe('the public signature takes openapi-types documents and parsed ones', () => {
  it('Swagger 2.0, OpenAPI 3.0 and 3.1 documents typed with openapi-types', () => {
    for (const doc of [swagger2, openapi3, openapi31] satisfies OpenApiDocument[]) {
      endpointsAuth(doc, { serviceName: 'api.example' }).close();
      assert.equal(lint(doc).problems.filter((p) => p.severity === 'error').length, 0);
      assert.equal(listRoutes(doc)[0]!.operationId, 'getX');
      withEndpointsAuth(doc, () => undefined, { serviceName: 'api.example' }).auth.close();
    }
  });

  it('a parsed document of unknown type', async () => {
    const parsed: unknown = JSON.parse(JSON.stringify(swagger2));
    endpointsAuth(parsed).close();
    assert.deepEqual(lint(parsed).problems, lint(swagger2).problems);
    const loaded = await loadOpenApi(swagger2 as unknown as Record<string, unknown>);
    assert.equal(listRoutes(loaded).length, 1);
  });
});
