import { expressjwt } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { env, serve } from './serve.js';

serve(
  'express-jwt + jwks-rsa',
  expressjwt({
    secret: jwksRsa.expressJwtSecret({ jwksUri: env.jwksUri, cache: true, rateLimit: true }) as never,
    algorithms: ['RS256'],
    issuer: env.issuer,
    audience: env.audience,
  }) as never,
);
