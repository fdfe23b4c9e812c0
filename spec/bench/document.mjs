/**
 * The benchmark's OpenAPI document: `operations` operations, the measured one (`/v1/shelves/{shelf}`)
 * placed last so that a matcher that scanned would pay for every other one.
 */
export function benchDocument(operations, issuer, jwksUri, audience) {
  const paths = {};
  for (let i = 0; i < operations - 1; i++) {
    paths[`/v1/resource${i}/{id}/items/{item}`] = { get: { operationId: `get${i}`, responses: { 200: { description: 'ok' } } } };
  }
  paths['/v1/shelves/{shelf}'] = { get: { operationId: 'getShelf', responses: { 200: { description: 'ok' } } } };
  return {
    swagger: '2.0',
    info: { title: 'bench', version: '1' },
    host: 'bench.endpoints.test',
    securityDefinitions: {
      bench: { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': issuer, 'x-google-jwks_uri': jwksUri, 'x-google-audiences': audience },
    },
    security: [{ bench: [] }],
    paths,
  };
}
