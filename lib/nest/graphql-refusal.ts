import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';

/**
 * A refusal as a GraphQL resolver hands it back: the field resolves to an error with ESP's message,
 * Apollo's `code` for 401 and 403 and our stable `reason`. Apollo Server reads `extensions.http` for
 * the response's headers (ESP's `WWW-Authenticate`) and status, although Nest's Apollo driver sets the
 * status back to 200 whenever the body has `data`.
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
