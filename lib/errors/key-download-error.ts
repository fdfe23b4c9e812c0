/**
 * Keys (or an OpenID discovery document) could not be had: the address did not answer, answered
 * something else than 200, or sent something that is no key set. `auth.ready()` rejects with it and the
 * logger reports its message; the client only ever sees ESP's answer.
 */
export class KeyDownloadError extends Error {
  override readonly name = 'KeyDownloadError';
  readonly code = 'ERR_KEY_DOWNLOAD';
  /** The address that failed, when one was asked. */
  readonly url: string | undefined;
  /** The HTTP status it answered, when it answered. */
  readonly status: number | undefined;

  /**
   * `cause`: the network error underneath (its `code` says which: `ECONNREFUSED`, `ENOTFOUND`,
   * `CERT_HAS_EXPIRED`...), already named in the message.
   */
  constructor(message: string, init: { readonly url?: string; readonly status?: number; readonly cause?: unknown } = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.url = init.url;
    this.status = init.status;
  }
}

/**
 * The error that says why a connection failed. `fetch` reports every network failure as "fetch
 * failed" and keeps the reason in `cause` (an error with a `code`, or an AggregateError when every
 * address of a host refused): the innermost error with a `code`, else the innermost error, is the one
 * a user can act on.
 */
export function networkCause(e: unknown): { readonly error: unknown; readonly text: string } {
  let withCode: unknown;
  let innermost: unknown = e;
  for (let at: unknown = e, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    innermost = at;
    if ((at as { code?: unknown }).code !== undefined) withCode = at;
  }
  // Without a code (fetch's own refusals, such as "bad port"), the innermost message is the reason.
  const deepest = withCode ?? innermost;
  if (deepest instanceof AggregateError && deepest.errors.length) {
    const first = deepest.errors[0] as Error;
    return { error: deepest, text: first?.message || String((deepest as { code?: unknown }).code) };
  }
  let text = deepest instanceof Error ? deepest.message || String((deepest as { code?: unknown }).code ?? deepest.name) : String(deepest);
  // fetch's own refusal of ports such as 1, 25 or 6000, before any connection is tried.
  if (text === 'bad port') text = 'bad port (fetch never connects to this port: it is on the Fetch standard\'s list of blocked ports)';
  const code = (deepest as { code?: unknown } | null)?.code;
  return { error: deepest, text: typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text };
}
