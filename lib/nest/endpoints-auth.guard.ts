import type { IncomingMessage } from 'node:http';
import type { CanActivate, ExecutionContext, OnModuleDestroy } from '@nestjs/common';
import type { AuthInfo } from '../kernel/auth-info.js';
import type { EndpointsAuth } from '../express/endpoints-auth.js';
import { admit } from '../node-http/admit.js';

/** Nest's request on either platform: Express's is node's request, Fastify's wraps it as `raw`. */
type NestRequest = IncomingMessage & { raw?: IncomingMessage; auth?: AuthInfo };

/**
 * The global guard: decides on the real request (method, original URL, headers), so the global prefix,
 * versioning and Nest's own route syntax never need translating; the document alone says which
 * operation a URL is. A refusal is thrown as the `EndpointsAuthError` for `EndpointsAuthFilter` to answer.
 * Only HTTP is guarded: ESP fronts HTTP, not Nest's microservice or WebSocket transports.
 */
export class EndpointsAuthGuard implements CanActivate, OnModuleDestroy {
  constructor(private readonly auth: EndpointsAuth) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<NestRequest>();
    // Nest has routed the request before its guards run: an X-HTTP-Method-Override cannot change the
    // handler, so the request is held to the sent method's operation as well (`routed`).
    const refusal = await admit(this.auth.engine, req.raw ?? req, req, undefined, true);
    if (refusal) throw refusal;
    return true;
  }

  /** The module built `auth` for this guard alone; its key refreshes stop with the application. */
  onModuleDestroy(): void {
    this.auth.close();
  }
}
