/**
 * The framework-free description of a request that `auth.check` takes. Header names are matched
 * case-insensitively; a header given as a list counts as several values.
 */
export interface RequestDescription {
  readonly method: string;
  /** Path with query string, as the client sent it (`req.originalUrl` in Express). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** True when the connection itself is TLS (used for the realm of `WWW-Authenticate`). */
  readonly secure?: boolean;
}

/** Lazy, parse-once access to the parts of a request that the checks read. */
export class RequestView {
  readonly method: string;
  readonly url: string;
  readonly secure: boolean;
  private readonly headerMap: Map<string, string[]>;
  private params: URLSearchParams | undefined;
  private cookieJar: Map<string, string> | undefined;

  constructor(req: RequestDescription) {
    this.method = String(req.method ?? 'GET').toUpperCase();
    this.url = typeof req.url === 'string' && req.url ? req.url : '/';
    this.secure = req.secure === true;
    this.headerMap = new Map();
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      const list = this.headerMap.get(key) ?? [];
      if (typeof value === 'string') list.push(value);
      else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') list.push(v);
      this.headerMap.set(key, list);
    }
  }

  /** Every non-empty value of a header (lower-case name). */
  headerValues(name: string): readonly string[] {
    const list = this.headerMap.get(name);
    return list ? list.filter((v) => v !== '') : [];
  }

  /** The first value of a header as sent, empty or not (nginx's lookup); undefined when absent. */
  firstHeaderValue(name: string): string | undefined {
    return this.headerMap.get(name)?.[0];
  }

  header(name: string): string | undefined {
    return this.headerValues(name)[0];
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
      this.params = new URLSearchParams(q === -1 ? '' : this.url.slice(q + 1));
    }
    return this.params.get(name);
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
