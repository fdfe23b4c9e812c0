import type { Failure } from '../failures/failure.js';
import type { Reason } from '../failures/reason.js';

/**
 * A refused request, as the chosen ESP would answer it. `message` is ESP's exact message, `status`
 * its HTTP status, `headers` and `body` its response; `reason` is a stable code and `hint` what to check.
 */
export class EndpointsAuthError extends Error {
  override readonly name = 'EndpointsAuthError';
  readonly code = 'ERR_ENDPOINTS_AUTH';
  readonly status: number;
  readonly reason: Reason;
  readonly hint: string;
  readonly failure: Failure;
  /** Response headers ESP sends with this refusal (`content-type`, `www-authenticate`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Response body, byte for byte. */
  readonly body: string;

  constructor(init: {
    status: number;
    message: string;
    reason: Reason;
    hint: string;
    failure: Failure;
    headers: Record<string, string>;
    body: string;
  }) {
    super(init.message);
    this.status = init.status;
    this.reason = init.reason;
    this.hint = init.hint;
    this.failure = init.failure;
    this.headers = Object.freeze({ ...init.headers });
    this.body = init.body;
  }

  /** Express and http-errors read `statusCode` too. */
  get statusCode(): number {
    return this.status;
  }
}
