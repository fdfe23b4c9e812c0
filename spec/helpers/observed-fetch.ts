/**
 * A `fetch` option over the real fetch that records every URL the key store asks for. Addresses that
 * cannot be reached from a test (Google's hosts, an `https://` issuer) can be sent to a loopback server
 * by prefix; the exchange itself stays real.
 */
export function observedFetch(reroute: Readonly<Record<string, string>> = {}) {
  const asked: string[] = [];
  const observed: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    asked.push(url);
    const from = Object.keys(reroute).find((prefix) => url.startsWith(prefix));
    return fetch(from === undefined ? url : reroute[from] + url.slice(from.length), init);
  };
  return { fetch: observed, asked };
}
