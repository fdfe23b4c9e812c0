import { createRemoteJWKSet, jwtVerify } from 'jose';
import { env, serve } from './serve.mjs';

// What a careful hand-written middleware looks like: jose's remote JWKS and jwtVerify, nothing cached.
const keys = createRemoteJWKSet(new URL(env.jwksUri));
serve('plain jose middleware', (req, res, next) => {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return void res.status(401).json({ error: 'missing' });
  jwtVerify(header.slice(7), keys, { issuer: env.issuer, audience: env.audience, algorithms: ['RS256'] }).then(
    ({ payload }) => {
      req.auth = payload;
      next();
    },
    () => res.status(401).json({ error: 'invalid' }),
  );
});
