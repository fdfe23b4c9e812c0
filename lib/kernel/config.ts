import { refuseOtherFlavoursOptions } from './flavour-options.js';

import { didYouMean } from './closest-name.js';
import { LONGEST_TIMER_MS } from './longest-timer.js';

export type Compatibility = 'espv2' | 'esp' | 'esp-1.32';
/** Every `Compatibility`, for the checks of options and of the CLI. */
export const COMPATIBILITIES: readonly Compatibility[] = ['espv2', 'esp', 'esp-1.32'];

export interface Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

/** Checks an API key; `req` is the framework's request (the Express `req`) or the described request. Only `true` accepts the key. */
export type ApiKeyCheck = (key: string, req: unknown) => boolean | Promise<boolean>;

/** Options of `endpointsAuth`; every one is optional. */
export interface EndpointsAuthOptions {
  /** Which ESP to reproduce: `'espv2'` (default), `'esp'` (ESP v1.60) or `'esp-1.32'`. */
  compatibility?: Compatibility;
  /** Service name for the default audience `https://<service name>`. Default: the document's `host`. */
  serviceName?: string;
  /** Tolerance for `exp` and `nbf`, in seconds. Default 60. */
  clockSkewSeconds?: number;
  /** Milliseconds since the epoch; every token time check uses it. Default `Date.now`. */
  now?: () => number;
  /** Used for every key and discovery download. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Deadline of one download, in ms, from 1 to 2147483647 (setTimeout's longest delay). Default 5000. */
  keyFetchTimeoutMs?: number;
  /** Largest key or discovery document accepted, in bytes, at least 1. Default 1 MiB. */
  keyFetchMaxBytes?: number;
  /** Follow a key URL's redirect to another host. Default false (same-host redirects are followed). Compatibility `'espv2'` only. */
  keyFetchCrossHostRedirects?: boolean;
  /** Key-set lifetime unless the provider sets `x-google-jwks_cache_duration_in_s`, in seconds, at least 1. Default 300. */
  jwksCacheSeconds?: number;
  /** A token with an unknown `kid` forces at most one key refresh per this many seconds, at least 1. Default 30. */
  unknownKidCooldownSeconds?: number;
  /**
   * Verified-token cache entries, a whole number up to 10,000,000 (the cache is allocated whole at
   * start-up); 0 turns the cache off. Default 1000 (ESPv2's `--jwt_cache_size`); 100
   * under `'esp'` and `'esp-1.32'`, the size ESP v1 holds: there a cached token skips the keys, which ESP v1
   * does not keep past their lifetime, so the size changes answers during a key outage. Under ESPv2's
   * rules a full cache takes a new token only when it is verified again within about that many
   * verifications (tokens seen once never push out the ones that come back); no answer changes.
   */
  tokenCacheSize?: number;
  /** `'respond'` (default) writes ESP's response; `'next'` calls `next(err)` with the `EndpointsAuthError`. */
  onError?: 'respond' | 'next';
  /** Checks API keys; `'presence'` accepts any non-empty key. Default: none (a document that needs keys is refused at start-up). */
  apiKey?: ApiKeyCheck | 'presence';
  /** `'enforce'` (default) checks scopes listed in requirements; `'ignore'` does what ESP does. */
  scopes?: 'enforce' | 'ignore';
  /** Key material by issuer (JWKS object, X.509 map or PEM string), used with no download. */
  keys?: Record<string, unknown>;
  /** Pad the base64url of `X-Endpoint-API-UserInfo` with "=" (ESPv2's --jwt_pad_forward_payload_header). Default false. Compatibility `'espv2'` only (ESP v1 always pads). */
  userInfoPadding?: boolean;
  /** Receives key downloads and rejections (with reason and hint). Default: none. */
  logger?: Logger;
}

/**
 * Every option's name. `satisfies` keeps it complete: a new option that is not listed here fails the
 * type check, so a valid option is never refused as unknown.
 */
const OPTION_NAMES = Object.keys({
  compatibility: true,
  serviceName: true,
  clockSkewSeconds: true,
  now: true,
  fetch: true,
  keyFetchTimeoutMs: true,
  keyFetchMaxBytes: true,
  keyFetchCrossHostRedirects: true,
  jwksCacheSeconds: true,
  unknownKidCooldownSeconds: true,
  tokenCacheSize: true,
  onError: true,
  apiKey: true,
  scopes: true,
  keys: true,
  userInfoPadding: true,
  logger: true,
} satisfies { readonly [K in keyof Required<EndpointsAuthOptions>]: true });

/**
 * A misspelt option (`clockSkew: 30`) would otherwise be ignored without a word, in plain JavaScript
 * where no type check sees it: it is refused, with the option that was probably meant.
 */
function refuseUnknownOptions(options: object): void {
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) throw new TypeError(`espresso-jwt: unknown option ${name}${didYouMean(name, OPTION_NAMES)}`);
  }
}

/** The options after defaults, checked once and frozen. */
export interface Config {
  readonly compatibility: Compatibility;
  readonly serviceName: string | undefined;
  readonly clockSkewSeconds: number;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  readonly keyFetchTimeoutMs: number;
  readonly keyFetchMaxBytes: number;
  readonly keyFetchCrossHostRedirects: boolean;
  readonly jwksCacheSeconds: number;
  readonly unknownKidCooldownMs: number;
  readonly tokenCacheSize: number;
  readonly onError: 'respond' | 'next';
  readonly apiKey: ApiKeyCheck | undefined;
  readonly scopes: 'enforce' | 'ignore';
  readonly keys: Readonly<Record<string, unknown>>;
  readonly userInfoPadding: boolean;
  readonly logger: Logger | undefined;
}

function nonNegative(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`espresso-jwt: option ${name} must be a finite non-negative number`);
  }
  return value;
}

/**
 * Options whose 0 would mean a download loop (a key set that expires as it arrives, an unknown-`kid`
 * refresh on every request) have a floor; below it they are refused rather than quietly raised.
 */
function atLeast(name: string, value: unknown, floor: number, fallback: number, unit: string, why: string): number {
  const n = nonNegative(name, value, fallback);
  if (n < floor) throw new TypeError(`espresso-jwt: option ${name} must be at least ${floor} ${unit}: ${why}`);
  return n;
}

/** A number from `min` to `max`; `whole` asks for an integer. */
function between(name: string, value: unknown, min: number, max: number, fallback: number, unit: string, whole = false): number {
  const n = nonNegative(name, value, fallback);
  if (n < min || n > max || (whole && !Number.isInteger(n))) {
    throw new TypeError(`espresso-jwt: option ${name} must be a ${whole ? 'whole number' : 'number'} from ${min} to ${max} ${unit}`);
  }
  return n;
}

/** The verified-token cache is allocated whole at start-up: ten million entries take about 0.7 s and 200 MB. */
const LARGEST_TOKEN_CACHE = 10_000_000;

function ofType(name: string, value: unknown, type: 'string' | 'boolean'): void {
  if (value !== undefined && typeof value !== type) throw new TypeError(`espresso-jwt: option ${name} must be a ${type}`);
}

function checkLogger(logger: unknown): void {
  if (logger === undefined) return;
  // An object, or a function that carries the methods (fancy-log's logger is one).
  if ((typeof logger !== 'object' && typeof logger !== 'function') || logger === null) {
    throw new TypeError('espresso-jwt: option logger must be an object with debug, info, warn and error methods (each optional)');
  }
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    const method = (logger as Record<string, unknown>)[level];
    if (method !== undefined && typeof method !== 'function') throw new TypeError(`espresso-jwt: option logger.${level} must be a function`);
  }
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new TypeError(`espresso-jwt: option ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value as T;
}

/**
 * For the entry points that always answer a refusal themselves (no `next` to hand it to): an `onError`
 * there would be ignored, so it is refused, saying what to do instead. Left undefined, it is not set.
 */
export function refuseOnError(options: unknown, entry: string, instead: string): void {
  if (typeof options === 'object' && options !== null && (options as { onError?: unknown }).onError !== undefined) {
    throw new TypeError(`espresso-jwt: option onError does not apply to ${entry}, ${instead}`);
  }
}

export function normalizeOptions(options: EndpointsAuthOptions = {}): Config {
  if (typeof options !== 'object' || options === null) throw new TypeError('espresso-jwt: the options must be an object');
  refuseUnknownOptions(options);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('espresso-jwt: option fetch must be a function');
  if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('espresso-jwt: option now must be a function');
  if (options.apiKey !== undefined && options.apiKey !== 'presence' && typeof options.apiKey !== 'function') {
    throw new TypeError("espresso-jwt: option apiKey must be a function or 'presence'");
  }
  ofType('serviceName', options.serviceName, 'string');
  ofType('keyFetchCrossHostRedirects', options.keyFetchCrossHostRedirects, 'boolean');
  ofType('userInfoPadding', options.userInfoPadding, 'boolean');
  if (options.keys !== undefined && (typeof options.keys !== 'object' || options.keys === null || Array.isArray(options.keys))) {
    throw new TypeError('espresso-jwt: option keys must be an object of key material by issuer');
  }
  checkLogger(options.logger);
  const apiKey: ApiKeyCheck | undefined = options.apiKey === 'presence' ? (key) => key !== '' : options.apiKey;
  const compatibility = oneOf('compatibility', options.compatibility, COMPATIBILITIES, 'espv2');
  const config: Config = Object.freeze({
    compatibility,
    serviceName: options.serviceName,
    clockSkewSeconds: nonNegative('clockSkewSeconds', options.clockSkewSeconds, 60),
    now: options.now ?? Date.now,
    fetch: fetchImpl,
    keyFetchTimeoutMs: between('keyFetchTimeoutMs', options.keyFetchTimeoutMs, 1, LONGEST_TIMER_MS, 5000, 'ms'),
    keyFetchMaxBytes: atLeast('keyFetchMaxBytes', options.keyFetchMaxBytes, 1, 1024 * 1024, 'byte', 'a smaller limit would refuse every key document'),
    keyFetchCrossHostRedirects: options.keyFetchCrossHostRedirects === true,
    jwksCacheSeconds: atLeast('jwksCacheSeconds', options.jwksCacheSeconds, 1, 300, 'second', 'a shorter key-set lifetime would download keys without pause'),
    unknownKidCooldownMs:
      atLeast('unknownKidCooldownSeconds', options.unknownKidCooldownSeconds, 1, 30, 'second', 'a shorter cooldown would let every token with a made-up kid cause a download') * 1000,
    tokenCacheSize: between('tokenCacheSize', options.tokenCacheSize, 0, LARGEST_TOKEN_CACHE, compatibility === 'espv2' ? 1000 : 100, 'entries', true),
    onError: oneOf('onError', options.onError, ['respond', 'next'], 'respond'),
    apiKey,
    scopes: oneOf('scopes', options.scopes, ['enforce', 'ignore'], 'enforce'),
    keys: Object.freeze({ ...(options.keys ?? {}) }),
    userInfoPadding: options.userInfoPadding === true,
    logger: options.logger,
  });
  // After the values are checked, so that a bad value gets its own message whatever the flavour.
  refuseOtherFlavoursOptions(options, compatibility);
  return config;
}

