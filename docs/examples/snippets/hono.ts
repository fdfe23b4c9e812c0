import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { endpointsAuth } from 'espresso-jwt/hono';
import { loadOpenApi } from 'espresso-jwt';

const app = new Hono();
app.use(endpointsAuth(await loadOpenApi('openapi.yaml')));

app.get('/v1/shelves/:shelf', (c) =>
  c.json({
    shelf: c.req.param('shelf'),
    email: c.get('auth')?.claims.email ?? null,
    // ESP's user info; a client-sent X-Endpoint-API-UserInfo never gets this far.
    userInfo: c.req.header('x-endpoint-api-userinfo') ?? null,
  }),
);

serve({ fetch: app.fetch, port: 8080 });
