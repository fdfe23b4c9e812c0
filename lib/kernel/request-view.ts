/**
 * The framework-free description of a request that `auth.check` takes. Header names are matched
 * case-insensitively; a header given as a list counts as several values.
 */
export interface RequestDescription {
  readonly method: string;
  /**
   * Path with query string, as the client sent it (`req.originalUrl` in Express); the absolute form
   * (`http://host/path`) is read as its path.
   */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** True when the connection itself is TLS (used for the realm of `WWW-Authenticate`). */
  readonly secure?: boolean;
}

/**
 * What a shell hands the engine: the description, the framework's own request (`raw`, given to the
 * `apiKey` check), and whether the header names are lower case already (Node's always are), which
 * spares the view its check.
 */
export interface ShellRequest extends RequestDescription {
  readonly raw?: unknown;
  readonly lowerCaseNames?: boolean;
  /**
   * The framework has chosen the handler by `method` before the check (a guard, a hook after routing):
   * `X-HTTP-Method-Override` can no longer change what runs, so the request is held to the operations of
   * both methods. Without it the shell makes the framework dispatch the checked method (`result.method`).
   */
  readonly routed?: boolean;
  /**
   * The target the framework routes on, when it is not `url`: under a mount path (`app.use('/api',
   * auth)`, a mounted Router) Express routes on `req.url`, the part after the mount path. The
   * operation is matched on it; everything else (the realm, an `access_token` query) reads `url`.
   */
  readonly routingUrl?: string;
}

/** A header as given: one value, several, or none. */
type HeaderValue = string | readonly string[] | undefined;

const NONE: readonly string[] = Object.freeze([]);
const HAS_UPPER = /[A-Z]/;

/**
 * Lazy, parse-once access to the parts of a request that the checks read. Nothing is copied up front:
 * Node's `req.headers` already has lower-case names and is read as is; headers given with other
 * spellings (a hand-made description) are folded once, on the first lookup.
 */
export class RequestView {
  readonly method: string;
  readonly url: string;
  private readonly request: ShellRequest;
  private headers: Readonly<Record<string, HeaderValue>>;
  private folded: boolean;
  private params: URLSearchParams | null | undefined;
  private cookieJar: Map<string, string> | undefined;

  constructor(req: ShellRequest) {
    const method = req.method;
    this.method = typeof method === 'string' && method ? method.toUpperCase() : 'GET';
    this.url = typeof req.url === 'string' && req.url ? req.url : '/';
    this.request = req;
    this.headers = req.headers ?? {};
    this.folded = req.lowerCaseNames === true;
  }

  private raw(name: string): HeaderValue {
    if (!this.folded) {
      this.folded = true;
      let mixed = false;
      for (const key in this.headers) if (HAS_UPPER.test(key)) mixed = true;
      if (mixed) this.headers = foldHeaderNames(this.headers);
    }
    return this.headers[name];
  }

  /** Every non-empty value of a header (lower-case name). */
  headerValues(name: string): readonly string[] {
    const v = this.raw(name);
    if (typeof v === 'string') return v === '' ? NONE : [v];
    if (!Array.isArray(v)) return NONE;
    return v.filter((x) => typeof x === 'string' && x !== '');
  }

  /** The first value of a header as sent, empty or not (nginx's lookup); undefined when absent. */
  firstHeaderValue(name: string): string | undefined {
    const v = this.raw(name);
    if (typeof v === 'string') return v;
    return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  }

  /** The first non-empty value of a header. */
  header(name: string): string | undefined {
    const v = this.raw(name);
    if (typeof v === 'string') return v === '' ? undefined : v;
    return this.headerValues(name)[0];
  }

  /** Whether the connection is TLS; read when asked (a refusal's realm), not on every request. */
  get secure(): boolean {
    return this.request.secure === true;
  }

  /** The path without the query string. */
  get path(): string {
    const q = this.url.indexOf('?');
    return q === -1 ? this.url : this.url.slice(0, q);
  }

  /** First value of a query parameter, form-decoded; null when absent. */
  query(name: string): string | null {
    if (this.params === undefined) {
      const q = this.url.indexOf('?');
      this.params = q === -1 ? null : new URLSearchParams(this.url.slice(q + 1));
    }
    return this.params === null ? null : this.params.get(name);
  }

  cookie(name: string): string | undefined {
    if (this.cookieJar === undefined) {
      this.cookieJar = new Map();
      for (const header of this.headerValues('cookie')) {
        for (const pair of header.split(';')) {
          const eq = pair.indexOf('=');
          if (eq === -1) continue;
          const key = pair.slice(0, eq).trim();
          let value = pair.slice(eq + 1).trim();
          if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
          if (key && !this.cookieJar.has(key)) this.cookieJar.set(key, value);
        }
      }
    }
    return this.cookieJar.get(name);
  }
}

/** Header names folded to lower case; values of names that differ only by case are kept together. */
function foldHeaderNames(headers: Readonly<Record<string, HeaderValue>>): Record<string, readonly string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const list = (out[name.toLowerCase()] ??= []);
    if (typeof value === 'string') list.push(value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') list.push(v);
  }
  return out;
}
