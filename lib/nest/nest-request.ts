import type { IncomingMessage } from 'node:http';
import type { ExecutionContext } from '@nestjs/common';
import type { AuthInfo } from '../kernel/auth-info.js';

/**
 * Nest's request on either platform. Express's is node's request with the router's `route` and
 * `baseUrl`; Fastify's wraps node's as `raw` and names the matched route in `routeOptions`.
 */
export type NestRequest = IncomingMessage & {
  auth?: AuthInfo;
  originalUrl?: string;
  /** Express: the route whose handler runs, and the mount path in front of it. */
  route?: { path?: unknown; methods?: Record<string, boolean> };
  baseUrl?: string;
  /** Fastify: node's request, and the route the request was dispatched to. */
  raw?: IncomingMessage & { originalUrl?: string };
  routeOptions?: { url?: unknown };
};

/**
 * The HTTP request behind an execution context: the request itself over HTTP; for a GraphQL resolver,
 * the one its context carries as `req` (the Apollo and Mercurius drivers of @nestjs/graphql always set
 * it). Undefined for a context with none to read (a microservice message, a WebSocket event).
 */
export function requestOf(context: ExecutionContext): NestRequest | undefined {
  const type = context.getType<string>();
  const candidate: unknown =
    type === 'http' ? context.switchToHttp().getRequest() : type === 'graphql' ? (context.getArgByIndex(2) as { req?: unknown } | undefined)?.req : undefined;
  return isHttpRequest(candidate) ? candidate : undefined;
}

/** Node's request, or Fastify's around one: something with a method, a URL and headers to check. */
function isHttpRequest(value: unknown): value is NestRequest {
  const node = (value as { raw?: unknown } | null | undefined)?.raw ?? value;
  const r = node as Partial<IncomingMessage> | null | undefined;
  return typeof r?.method === 'string' && typeof r.url === 'string' && typeof r.headers === 'object' && r.headers !== null;
}
