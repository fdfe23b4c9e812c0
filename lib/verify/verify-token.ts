import type { MaybePromise } from '../kernel/maybe-async.js';
import type { TokenFailure } from '../failures/failure.js';
import type { KeyStore } from '../keys/key-store.js';
import type { KeySourceCache } from '../keys/key-source.js';
import type { KeySet } from '../keys/key-set.js';
import type { Provider } from '../openapi/model.js';
import { deepFreeze } from '../kernel/deep-freeze.js';
import { audienceAllowed } from '../requirements/audiences.js';
import { parseToken, type ParsedToken } from './parse-token.js';
import { verifySignature, type SignatureResult } from './verify-signature.js';
import type { TokenCache } from './token-cache.js';
import type { Result } from '../kernel/result.js';
import { messageOf } from '../kernel/message-of.js';

export interface VerifyContext {
  readonly keys: KeyStore;
  readonly cache: TokenCache;
  readonly nowSeconds: number;
  readonly skewSeconds: number;
}

export type TokenResult = Result<{ parsed: ParsedToken }, TokenFailure>;

/**
 * One token against one provider, in ESPv2's order: parse, issuer, time (`nbf`, then `exp` when
 * present and non-zero), audience, keys, signature. The first failure wins. A token verified before
 * skips parse and signature, never the claim checks.
 */
export function verifyToken(token: string, provider: Provider, allowed: ReadonlySet<string>, ctx: VerifyContext): MaybePromise<TokenResult> {
  const source = ctx.keys.for(provider);
  const cached = ctx.cache.get(source, token, ctx.nowSeconds, ctx.skewSeconds);
  const parsed = cached ?? parseToken(token);
  if ('kind' in parsed) return { ok: false, failure: parsed };

  const claims = checkClaims(parsed, provider, allowed, ctx);
  if (claims) return { ok: false, failure: claims };
  // A token verified before is answered now, with no promise: the usual request stays synchronous.
  if (cached) return { ok: true, parsed };
  return verifyWithKeys(token, parsed, source, ctx);
}

/**
 * The signature, with the provider's keys as they are now. Written with `then` rather than `async`:
 * with keys cached, the usual token costs one promise, its signature check's.
 */
function verifyWithKeys(token: string, parsed: ParsedToken, source: KeySourceCache, ctx: VerifyContext): MaybePromise<TokenResult> {
  let keys: KeySet | Promise<KeySet>;
  try {
    keys = source.get();
  } catch (e) {
    return keysFailed(e);
  }
  if (keys instanceof Promise) return keys.then((set) => withKeys(token, parsed, set, source, ctx), keysFailed);
  return withKeys(token, parsed, keys, source, ctx);
}

function keysFailed(e: unknown): TokenResult {
  return { ok: false, failure: { kind: 'jwks_fetch_failed', detail: messageOf(e) } };
}

function withKeys(token: string, parsed: ParsedToken, keys: KeySet, source: KeySourceCache, ctx: VerifyContext): MaybePromise<TokenResult> {
  const result = verifySignature(parsed, keys);
  const settle = (r: SignatureResult): MaybePromise<TokenResult> => {
    // A kid the set lacks may mean the issuer rotated keys: refresh once (rate limited) and retry.
    if (!r.ok && parsed.kid && !keys.hasKid(parsed.kid)) return retryAfterRefresh(token, parsed, keys, source, ctx, r);
    return remember(token, parsed, r, source, ctx);
  };
  return result instanceof Promise ? result.then(settle) : settle(result);
}

async function retryAfterRefresh(token: string, parsed: ParsedToken, keys: KeySet, source: KeySourceCache, ctx: VerifyContext, first: SignatureResult): Promise<TokenResult> {
  let result = first;
  const refreshed = source.refreshForUnknownKid();
  if (refreshed) {
    const next = await refreshed.catch(() => undefined);
    if (next && next !== keys) result = await verifySignature(parsed, next);
  }
  return remember(token, parsed, result, source, ctx);
}

function remember(token: string, parsed: ParsedToken, result: SignatureResult, source: KeySourceCache, ctx: VerifyContext): TokenResult {
  if (!result.ok) return { ok: false, failure: result.failure };
  // What a verified token carries reaches req.auth and the cache alike: frozen once, here, so nothing a
  // handler does to it changes a later decision, and a cached token costs nothing more per request.
  deepFreeze(parsed.payload);
  Object.freeze(parsed.audiences);
  ctx.cache.set(token, { parsed, key: result.key, keys: source });
  return { ok: true, parsed };
}

function checkClaims(parsed: ParsedToken, provider: Provider, allowed: ReadonlySet<string>, ctx: VerifyContext): TokenFailure | undefined {
  if (parsed.iss !== provider.issuer) return { kind: 'issuer_not_configured' };
  if (ctx.nowSeconds + ctx.skewSeconds < parsed.nbf) return { kind: 'not_yet_valid' };
  if (parsed.exp !== 0 && ctx.nowSeconds > parsed.exp + ctx.skewSeconds) return { kind: 'expired' };
  if (!audienceAllowed(parsed.audiences, allowed)) return { kind: 'audience_not_allowed' };
  return undefined;
}
