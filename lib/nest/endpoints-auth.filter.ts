import type { ServerResponse } from 'node:http';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import { writeRefusal } from '../node-http/write-refusal.js';
import { GraphqlRefusal } from './graphql-refusal.js';

/** Nest's response on either platform: Express's is node's response, Fastify's reply wraps it as `raw`. */
type NestResponse = ServerResponse & { raw?: ServerResponse; hijack?: () => void };

/**
 * Answers a refusal with ESP's exact status, headers and body, through node's response so that neither
 * Nest nor the platform re-encodes it (Fastify is told to keep out with `hijack()`). A GraphQL resolver
 * cannot answer the HTTP request itself: its refusal becomes a GraphQL error with ESP's message and
 * headers. A catch-all filter of your own can hand refusals on:
 * `if (e instanceof EndpointsAuthError) return new EndpointsAuthFilter().catch(e, host)`.
 */
export class EndpointsAuthFilter implements ExceptionFilter<EndpointsAuthError> {
  catch(error: EndpointsAuthError, host: ArgumentsHost): GraphqlRefusal | undefined {
    if (host.getType<string>() === 'graphql') return new GraphqlRefusal(error);
    if (host.getType() !== 'http') throw error;
    const res = host.switchToHttp().getResponse<NestResponse>();
    res.hijack?.();
    writeRefusal(res.raw ?? res, error);
    return undefined;
  }
}
// The decorator, applied as a call: the library needs no decorator compilation (see tsup.config.ts).
Catch(EndpointsAuthError)(EndpointsAuthFilter);
