/** What a request that passed carries: `req.auth` in Express. */
export interface AuthInfo {
  readonly operationId: string;
  /** The security scheme whose provider accepted the token. */
  readonly provider: string;
  readonly issuer: string;
  /** The token's `aud`, as a list. */
  readonly audiences: readonly string[];
  /** The whole payload. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The token as extracted. */
  readonly token: string;
}
