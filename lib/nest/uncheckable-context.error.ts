/**
 * Thrown by the guard for an execution context with no HTTP request to check (a microservice message,
 * a WebSocket event): such a context is refused, never let through. Guard only HTTP handlers there:
 * `EndpointsAuthModule.forRoot({ spec, global: false })` and `@UseGuards(EndpointsAuthGuard)`.
 */
export class UncheckableContextError extends Error {
  override readonly name = 'UncheckableContextError';
  readonly code = 'ERR_ENDPOINTS_AUTH_CONTEXT';

  constructor(readonly contextType: string) {
    super(`espresso-jwt: a ${contextType} context has no HTTP request to check, so it is refused`);
  }
}
