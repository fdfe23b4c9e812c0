import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';

/**
 * A refusal as a GraphQL resolver hands it back. GraphQL servers keep an error's `extensions`; Apollo
 * Server also reads `extensions.http` for the response's status and headers, so the HTTP answer keeps
 * ESP's status and `WWW-Authenticate`, with a GraphQL body. `code` is Apollo's for 401 and 403.
 */
export class GraphqlRefusal extends Error {
  override readonly name = 'GraphqlRefusal';
  readonly extensions: {
    readonly code: string;
    readonly reason: EndpointsAuthError['reason'];
    readonly http: { readonly status: number; readonly headers: Map<string, string> };
  };

  constructor(error: EndpointsAuthError) {
    super(error.message);
    const headers = new Map(Object.entries(error.headers).filter(([name]) => name !== 'content-type' && name !== 'content-length'));
    this.extensions = { code: CODES[error.status] ?? 'ENDPOINTS_AUTH_REFUSED', reason: error.reason, http: { status: error.status, headers } };
  }
}

const CODES: Readonly<Record<number, string>> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };
