import { COMPATIBILITIES, type Compatibility } from '../kernel/config.js';
import type { Result } from '../kernel/result.js';

/** The operation select's value for "try every operation of the document". */
const EVERY_OPERATION = '*';

/** A question the page asks: this token, on this operation (or every one), as this ESP would answer. */
interface InspectRequest {
  readonly token: string;
  /** Absent: every operation. */
  readonly request: { readonly method: string; readonly path: string } | undefined;
  readonly compatibility: Compatibility;
  readonly offline: boolean;
}

/** The question, or what is wrong with it (a sentence for the page). */
type ReadInspectRequest = Result<{ value: InspectRequest }, string>;

/**
 * Checks the page's JSON body: `{ token, operation, compatibility, offline }`, where `operation` is one
 * of the listed `METHOD /path` values or "*". The token is trimmed and loses a leading "Bearer ", as a
 * token copied from a request header would carry one.
 */
export function readInspectRequest(body: unknown, operations: ReadonlySet<string>): ReadInspectRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('the request must be a JSON object');
  const { token, operation, compatibility, offline } = body as Record<string, unknown>;
  if (typeof token !== 'string') return fail('token must be a string');
  const cleaned = token.trim().replace(/^Bearer\s+/i, '');
  if (!cleaned) return fail('paste a token first');
  if (typeof operation !== 'string' || (operation !== EVERY_OPERATION && !operations.has(operation))) {
    return fail('operation must be one of the document\'s operations ("METHOD /path") or "*"');
  }
  if (!COMPATIBILITIES.includes(compatibility as Compatibility)) return fail(`compatibility must be one of ${COMPATIBILITIES.join(', ')}`);
  if (typeof offline !== 'boolean') return fail('offline must be true or false');
  const space = operation.indexOf(' ');
  return {
    ok: true,
    value: {
      token: cleaned,
      request: operation === EVERY_OPERATION ? undefined : { method: operation.slice(0, space), path: operation.slice(space + 1) },
      compatibility: compatibility as Compatibility,
      offline,
    },
  };
}

const fail = (failure: string): ReadInspectRequest => ({ ok: false, failure });
