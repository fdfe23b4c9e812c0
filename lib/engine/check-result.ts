import type { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
import type { AuthInfo } from '../kernel/auth-info.js';

/** The answer of `auth.check`: one decision, the same that every adapter acts on. */
export type CheckResult =
  | {
      readonly ok: true;
      /** Null when the operation needs no token (or allows none and none was sent). */
      readonly auth: AuthInfo | null;
      /** The `X-Endpoint-API-UserInfo` value to forward, null when there is none. */
      readonly userInfo: string | null;
      /** The matched operation, null for a request let through unmatched (`x-google-allow: all`, CORS). */
      readonly operationId: string | null;
    }
  | { readonly ok: false; readonly error: EndpointsAuthError };
