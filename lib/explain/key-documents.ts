import { parseKeySet } from '../keys/parse-key-set.js';

/**
 * A `fetch` that keeps a copy of every document answered with 200 (key sets and discovery
 * documents), so that `explain` can say which key ids the provider publishes when a token's `kid`
 * is not among them, without downloading anything a second time.
 */
export function recordingFetch(inner: typeof fetch): { readonly fetch: typeof fetch; readonly kidsByUrl: () => Promise<Map<string, readonly string[]>> } {
  const documents = new Map<string, Promise<string>>();
  const recording: typeof fetch = async (input, init) => {
    const res = await inner(input, init);
    if (res.status === 200) documents.set(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, res.clone().text().catch(() => ''));
    return res;
  };
  async function kidsByUrl(): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    for (const [url, text] of documents) {
      // For display only: PEM too, whatever the download path accepts.
      const parsed = await parseKeySet(await text, { pem: true });
      if (parsed.ok) out.set(url, parsed.keys.map((k) => k.kid || '(no kid)'));
    }
    return out;
  }
  return { fetch: recording, kidsByUrl };
}
