// The demo behind `npm start`: an Express API guarded by espresso-jwt from its OpenAPI document, with
// an embedded development issuer on 127.0.0.1. It prints curl lines to try a valid token and each
// kind of invalid one.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createDevIssuer, endpointsAuth, loadOpenApi } from 'espresso-jwt';

const port = Number(process.env.PORT ?? 8080);
const specFile = fileURLToPath(new URL('./openapi.yaml', import.meta.url));
const spec: any = await loadOpenApi(specFile);
const scheme = spec.securityDefinitions.demo_issuer;
// The document names the issuer's keys at 127.0.0.1:8081; ISSUER_PORT moves them (the document read
// here follows, the file on disk does not).
const issuerPort = Number(process.env.ISSUER_PORT ?? 8081);
const issuer = await createDevIssuer({ issuer: scheme['x-google-issuer'], port: issuerPort }).catch((e: NodeJS.ErrnoException) => {
  console.error(e.code === 'EADDRINUSE' ? `port ${issuerPort} is in use: set ISSUER_PORT to another one` : e);
  process.exit(1);
});
scheme['x-google-jwks_uri'] = issuer.jwksUri;

const auth = endpointsAuth(spec, { logger: console });
try {
  await auth.ready();
} catch (e) {
  // KeyDownloadError: its message and cause say which address failed and why. The middleware would
  // still start and refuse requests with 401 until the keys load; a demo stops instead.
  console.error(e);
  process.exit(1);
}

const app = express();
app.use(auth);
app.get('/v1/health', (_req, res) => res.json({ ok: true }));
app.get('/v1/shelves', (req, res) => res.json({ shelves: ['fiction', 'poetry'], caller: req.auth?.claims.sub }));
app.get('/v1/shelves/:shelf', (req, res) => res.json({ shelf: req.params.shelf, caller: req.auth?.claims.sub }));
app.delete('/v1/shelves/:shelf', (_req, res) => res.status(204).end());

const server = app.listen(port, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${port}`;
  const aud = 'bookshelf-demo';
  const now = Math.floor(Date.now() / 1000);
  const tokens: [string, string][] = [
    ['valid token (200)', await issuer.sign({ sub: 'reader@example.com', aud })],
    ['expired (401 Jwt is expired)', await issuer.sign({ sub: 'x', aud, iat: now - 7200, exp: now - 3600 })],
    ['wrong audience (403 Audiences in Jwt are not allowed)', await issuer.sign({ sub: 'x', aud: 'someone-else' })],
    ['unknown issuer (401 Jwt issuer is not configured)', await issuer.sign({ sub: 'x', aud, iss: 'https://elsewhere.example' })],
    ['not yet valid (401 Jwt not yet valid)', await issuer.sign({ sub: 'x', aud, nbf: now + 3600 })],
  ];
  const [, valid] = tokens[0]!;
  const [h, p] = valid.split('.');
  tokens.push(['tampered signature (401 Jwt verification fails)', `${h}.${p}.${'A'.repeat(342)}`]);
  tokens.push(['malformed (401 Jwt is not in the form of ...)', 'not-a-jwt']);
  console.log(`espresso-jwt demo API on ${base} (issuer ${issuer.issuer}, keys at ${issuer.jwksUri})\n`);
  console.log(`# open route, no token:\ncurl -i ${base}/v1/health\n`);
  console.log(`# no token (401 Jwt is missing):\ncurl -i ${base}/v1/shelves\n`);
  for (const [label, token] of tokens) console.log(`# ${label}:\ncurl -i -H 'Authorization: Bearer ${token}' ${base}/v1/shelves\n`);
  console.log(`# valid token without the shelves.admin scope (403):\ncurl -i -X DELETE -H 'Authorization: Bearer ${valid}' ${base}/v1/shelves/fiction\n`);
  const admin = await issuer.sign({ sub: 'admin@example.com', aud, scope: 'shelves.admin' });
  console.log(`# with the scope (204):\ncurl -i -X DELETE -H 'Authorization: Bearer ${admin}' ${base}/v1/shelves/fiction\n`);
  console.log(`# undefined path (404):\ncurl -i ${base}/v2/nothing\n`);
  console.log(`# why a token passes or fails, check by check:\nnpx espresso-jwt explain --spec ${path.relative(process.cwd(), specFile)} --token ${valid} --path /v1/shelves\n`);
  console.log('Ctrl-C to stop.');
});

const stop = () => {
  auth.close();
  void issuer.close();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
