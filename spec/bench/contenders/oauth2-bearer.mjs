import { auth } from 'express-oauth2-jwt-bearer';
import { env, serve } from './serve.mjs';

serve('express-oauth2-jwt-bearer', auth({ issuer: env.issuer, audience: env.audience, jwksUri: env.jwksUri, tokenSigningAlg: 'RS256' }));
