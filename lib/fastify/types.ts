import type { AuthInfo } from '../kernel/auth-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by espresso-jwt when the request carried a valid token; null otherwise. */
    auth: AuthInfo | null;
  }
}

export {};
