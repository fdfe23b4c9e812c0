/**
 * The shape of ESP v1's answers (nginx/error.cc, check_auth.cc, check_service_control.cc) and the
 * builders the failure catalogue writes them with: the words themselves live in the catalogue.
 */

/** The two ESP v1 generations: its last release (v1.60) and the reason names of v1.32 and before. */
export type Esp1Generation = 'esp' | 'esp-1.32';

/** The gRPC codes ESP v1 answers with, and the HTTP status nginx sends for each. */
export const HTTP_STATUS_OF_CODE = { 3: 400, 5: 404, 7: 403, 16: 401 } as const;
export type GrpcCode = keyof typeof HTTP_STATUS_OF_CODE;

/** One answer: the code, the message, and the DebugInfo detail (the ESP step that refused). */
export interface Esp1Answer {
  readonly code: GrpcCode;
  readonly message: string;
  readonly detail: 'auth' | 'service_control';
}

/** A failure's answer in each generation; null where that generation never gives this failure. */
export type Esp1Row = { readonly [G in Esp1Generation]: Esp1Answer | null };

const PREFIX = 'JWT validation failed: ';

/** A refusal of check_auth.cc: `JWT validation failed: <reason>`, code 16 unless said otherwise. */
export function esp1JwtAnswer(v160: string | null, v132: string | null = v160, code: GrpcCode = 16): Esp1Row {
  const answer = (reason: string | null): Esp1Answer | null => (reason === null ? null : { code, message: PREFIX + reason, detail: 'auth' });
  return { esp: answer(v160), 'esp-1.32': answer(v132) };
}

/** A refusal of check_service_control.cc, the same in both generations. */
export function esp1ServiceAnswer(code: GrpcCode, message: string): Esp1Row {
  const answer: Esp1Answer = { code, message, detail: 'service_control' };
  return { esp: answer, 'esp-1.32': answer };
}

/** nginx's fetch reports the HTTP status of an answer >= 300 (check_auth.cc FetchFailure). */
export const withFetchStatus = (reason: string, httpStatus: number | undefined) => (httpStatus !== undefined && httpStatus >= 300 ? `${reason}. HTTP response code: ${httpStatus}` : reason);

export const BAD_FORMAT = 'BAD_FORMAT';
export const BAD_SIGNATURE = 'BAD_SIGNATURE';
export const KEY_RETRIEVAL_ERROR = 'KEY_RETRIEVAL_ERROR';
export const TIME = 'TIME_CONSTRAINT_FAILURE';
