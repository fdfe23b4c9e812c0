/**
 * Declares, once for the whole program, the claims your tokens carry, so that every `auth` the package
 * hands out (`req.auth` in Express, `request.auth` in Fastify, `ctx.state.auth` in Koa, `c.get('auth')`
 * in Hono, the Fetch handler's `auth`) types them:
 *
 * ```ts
 * declare module 'espresso-jwt' {
 *   interface Register { claims: { sub: string; email?: string } }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Register {}

/** The claims declared through `Register`; any JSON object when none are. */
export type RegisteredClaims = Register extends { claims: infer C extends object } ? C : Record<string, unknown>;

/**
 * What a request that passed carries: `req.auth` in Express. `C` is the type of the payload, which
 * the package does not check beyond ESP's own checks: declare only what your issuer guarantees.
 */
export interface AuthInfo<C extends object = RegisteredClaims> {
  readonly operationId: string;
  /** The security scheme whose provider accepted the token. */
  readonly provider: string;
  readonly issuer: string;
  /** The token's `aud`, as a list. */
  readonly audiences: readonly string[];
  /** The whole payload. */
  readonly claims: Readonly<C>;
  /** The token as extracted. */
  readonly token: string;
}
