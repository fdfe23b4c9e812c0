// AWS Lambda example: the Express middleware behind API Gateway through serverless-http.
// Try it without AWS: npx tsx docs/examples/lambda/invoke.ts
import express from 'express';
import serverless from 'serverless-http';
import { endpointsAuth } from 'espresso-jwt';

export function makeHandler(spec: unknown) {
  const auth = endpointsAuth(spec); // outside the handler: kept across warm invocations
  const app = express();
  app.use(auth);
  app.get('/v1/shelves', (req, res) => res.json({ email: req.auth?.claims.email ?? null }));
  app.get('/v1/public', (_req, res) => res.json({ open: true }));
  // An HTTP API stage other than $default puts its name in front of every path ("/prod/v1/shelves"):
  // basePath takes it off before the middleware matches the document.
  return serverless(app, { basePath: process.env.STAGE_PREFIX ?? '' });
}
