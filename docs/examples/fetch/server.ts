// Fetch API example: the same handler works in Hono, Next.js route handlers, Bun, Deno and Workers.
// Here node's own server feeds it standard Request objects. Run: npx tsx docs/examples/fetch/server.ts
import http from 'node:http';
import { endpointsAuth } from 'espresso-jwt';
import { startDevIssuer } from '../shared/dev-issuer.js';

const issuer = await startDevIssuer();
const auth = endpointsAuth(issuer.spec);

// Called only for requests ESP would let through; refusals get ESP's Response without reaching it.
const handle = auth.fetchHandler(async (request, info) =>
  Response.json({
    path: new URL(request.url).pathname,
    email: info?.claims.email ?? null,
    userInfo: request.headers.get('x-endpoint-api-userinfo'),
  }),
);

// Node's http server does not speak Request/Response; Bun.serve, Deno.serve and Workers do natively.
const server = http.createServer(async (req, res) => {
  const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string> });
  const response = await handle(request);
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(8083, '127.0.0.1', async () => {
  console.log(`curl -i http://127.0.0.1:8083/v1/shelves -H "Authorization: Bearer ${await issuer.token()}"`);
  console.log('curl -i http://127.0.0.1:8083/v1/shelves   # 401 Jwt is missing');
});
