import { KeyDownloadError, networkCause } from '../errors/key-download-error.js';

export interface DownloadOptions {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Follow redirects to another host (same-host redirects are followed, up to `maxRedirects`). */
  readonly crossHostRedirects: boolean;
  /** Redirects followed at most; a redirect beyond is an answer like any non-200. Default 5. */
  readonly maxRedirects?: number;
  readonly signal?: AbortSignal;
}

export interface Downloaded {
  readonly text: string;
  /** `Cache-Control: max-age`, when the server sent one. */
  readonly maxAgeSeconds: number | undefined;
}

/**
 * GETs a key or discovery document: one deadline for the whole exchange, a cap on the body size, and
 * redirects followed by hand so that a key URL cannot be moved to another host unless asked.
 */
export async function download(url: string, options: DownloadOptions): Promise<Downloaded> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const { signal, release } = options.signal ? either(deadline, options.signal) : { signal: deadline, release: undefined };
  let current = url;
  const fetchFn = options.fetch;
  try {
    const maxRedirects = options.maxRedirects ?? 5;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      // Called as a plain function: as a method of the options object, Workers' fetch throws "Illegal invocation".
      const res = await fetchFn(current, { redirect: 'manual', signal, headers: { accept: 'application/json, application/x-pem-file, text/plain, */*' } });
      // With no redirects allowed (ESP v1's fetch), a 3xx is an answer like any other non-200.
      if (res.status >= 300 && res.status < 400 && res.headers.get('location') && maxRedirects > 0) {
        await res.body?.cancel().catch(() => {});
        if (hop === maxRedirects) break;
        const next = new URL(res.headers.get('location')!, current);
        if (next.host !== new URL(current).host && !options.crossHostRedirects) {
          throw new KeyDownloadError(`${current} redirects to another host (${next.host}); set the option to follow it`, { url: current, status: res.status });
        }
        current = next.href;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => {});
        throw new KeyDownloadError(`${current} answered HTTP ${res.status}`, { url: current, status: res.status });
      }
      const text = await readCapped(res, options.maxBytes, current);
      return { text, maxAgeSeconds: maxAge(res.headers.get('cache-control')) };
    }
    throw new KeyDownloadError(`${url}: too many redirects`, { url });
  } catch (e) {
    if (e instanceof KeyDownloadError) throw e;
    if (deadline.aborted) throw new KeyDownloadError(`${current} did not answer within ${options.timeoutMs} ms`, { url: current, cause: e });
    if (options.signal?.aborted) throw new KeyDownloadError(`${current}: the download was stopped (the key store was closed)`, { url: current, cause: e });
    const cause = networkCause(e);
    throw new KeyDownloadError(`${current} could not be fetched: ${cause.text}`, { url: current, cause: cause.error });
  } finally {
    release?.();
  }
}

/**
 * A signal that aborts when either does: `AbortSignal.any` where there is one; the Edge runtime has
 * none, so there a controller follows both, and `release` unhooks it from the long-lived one.
 */
function either(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; release?: () => void } {
  if (typeof AbortSignal.any === 'function') return { signal: AbortSignal.any([a, b]) };
  const joined = new AbortController();
  const onA = () => joined.abort(a.reason);
  const onB = () => joined.abort(b.reason);
  if (a.aborted || b.aborted) joined.abort();
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  return {
    signal: joined.signal,
    release: () => {
      a.removeEventListener('abort', onA);
      b.removeEventListener('abort', onB);
    },
  };
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new KeyDownloadError(`${url} sent ${declared} bytes, more than the ${maxBytes}-byte limit`, { url });
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  // The body as sent: a byte-order mark is kept, for the JSON reader to refuse as ESPv2 does.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new KeyDownloadError(`${url} sent more than the ${maxBytes}-byte limit`, { url });
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function maxAge(header: string | null): number | undefined {
  if (!header) return undefined;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(header);
  return m ? Number(m[1]) : undefined;
}
