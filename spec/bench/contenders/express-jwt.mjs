import { expressjwt } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { env, serve } from './serve.mjs';

serve(
  'express-jwt + jwks-rsa',
  expressjwt({
    secret: jwksRsa.expressJwtSecret({ jwksUri: env.jwksUri, cache: true, rateLimit: true }),
    algorithms: ['RS256'],
    issuer: env.issuer,
    audience: env.audience,
  }),
);
