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
      /**
       * The method the decision was for: `X-HTTP-Method-Override` applied, upper case. A shell whose
       * framework dispatches after the check sets the request's method to it (as ESPv2 rewrites
       * `:method`), so the handler that runs is the one that was checked.
       */
      readonly method: string;
    }
  | { readonly ok: false; readonly error: EndpointsAuthError };
