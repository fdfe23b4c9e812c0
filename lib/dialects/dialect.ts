import type { Failure } from '../failures/failure.js';
import type { RequestView } from '../core/request-view.js';

/** ESP's answer to a refused request. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * What differs between the ESPs that espresso-jwt reproduces, in one place: the message and status
 * of each failure, the response writer, and the user-info header. The checks never ask which ESP
 * they serve; they ask the dialect.
 */
export interface Dialect {
  readonly name: string;
  refuse(failure: Failure, view: RequestView): Refusal;
  /** `X-Endpoint-API-UserInfo` for a verified token. */
  userInfo(token: { readonly payloadSegment: string; readonly payload: Readonly<Record<string, unknown>> }, padding: boolean): string;
}
