// For the examples only: a token issuer on 127.0.0.1 so that they run offline. In production the
// document points at your real issuer (Firebase, Auth0, a service account...) and none of this exists.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { loadOpenApi } from '../../../lib/index.js';

export async function startDevIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'dev', alg: 'RS256', use: 'sig' }] });
  const server = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;

  // The examples' OpenAPI document, pointed at this issuer's keys.
  const spec: any = await loadOpenApi(fileURLToPath(new URL('openapi.yaml', import.meta.url)));
  spec.securityDefinitions.dev_issuer['x-google-jwks_uri'] = jwksUri;

  const token = (claims: Record<string, unknown> = {}) =>
    new SignJWT({ sub: 'user-1', email: 'reader@example.com', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'dev' })
      .setIssuer('https://dev-issuer.example')
      .setAudience('shelves-client')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

  return { spec, token, close: () => server.close() };
}
