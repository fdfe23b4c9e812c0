// For the examples only: a token issuer on 127.0.0.1 (espresso-jwt's createDevIssuer) so that they run
// offline. In production the document points at your real issuer (Firebase, Auth0, a service
// account...) and none of this exists.
import { fileURLToPath } from 'node:url';
import { createDevIssuer, loadOpenApi } from 'espresso-jwt';

export async function startDevIssuer() {
  const issuer = await createDevIssuer({ issuer: 'https://dev-issuer.example' });
  // The examples' OpenAPI document, pointed at this issuer's keys.
  const spec: any = await loadOpenApi(fileURLToPath(new URL('openapi.yaml', import.meta.url)));
  spec.securityDefinitions.dev_issuer['x-google-jwks_uri'] = issuer.jwksUri;
  const token = (claims: Record<string, unknown> = {}) => issuer.sign({ sub: 'user-1', email: 'reader@example.com', aud: 'shelves-client', ...claims });
  return { spec, token, close: () => void issuer.close() };
}
