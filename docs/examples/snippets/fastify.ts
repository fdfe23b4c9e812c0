import Fastify from 'fastify';
import endpointsAuthPlugin from 'espresso-jwt/fastify';
import { loadOpenApi } from 'espresso-jwt';

const app = Fastify();
// Registered on the root instance, it guards every route, in onRequest (before the body is parsed).
await app.register(endpointsAuthPlugin, { spec: await loadOpenApi('openapi.yaml') });

app.get<{ Params: { shelf: string } }>('/v1/shelves/:shelf', async (request) => ({
  shelf: request.params.shelf,
  email: request.auth?.claims.email, // request.auth: null on an operation that needs no token
}));

await app.listen({ port: 8080 });
