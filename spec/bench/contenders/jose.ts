import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { env, serve } from './serve.js';

// What a careful hand-written middleware looks like: jose's remote JWKS and jwtVerify, nothing cached.
const keys = createRemoteJWKSet(new URL(env.jwksUri));
const guard: RequestHandler = (req, res, next) => {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return void res.status(401).json({ error: 'missing' });
  jwtVerify(header.slice(7), keys, { issuer: env.issuer, audience: env.audience, algorithms: ['RS256'] }).then(
    ({ payload }) => {
      (req as { auth?: unknown }).auth = payload;
      next();
    },
    () => res.status(401).json({ error: 'invalid' }),
  );
};
serve('plain jose middleware', guard);
