import type { AddressInfo } from 'node:net';
import { compactVerify, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

export interface DevIssuerOptions {
  /** The `iss` of the tokens, not empty. Default: the issuer's own URL (`http://127.0.0.1:<port>`). */
  issuer?: string;
  /** Port on 127.0.0.1, a whole number from 0 to 65535; 0 (default) picks a free one. */
  port?: number;
  /**
   * A private RSA JWK to reuse (from `privateJwk` of an earlier run), 2048 bits or more; it must sign
   * what its own public half verifies (checked with a probe at start). Default: a new RS256 key.
   */
  privateJwk?: JWK;
}

export interface DevIssuer {
  readonly issuer: string;
  /** The JWKS address to put in `x-google-jwks_uri`. */
  readonly jwksUri: string;
  readonly jwks: { keys: JWK[] };
  readonly privateJwk: JWK;
  /** Signs a token; `iss`, `iat` and a one-hour `exp` are filled in unless given. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * A development issuer on 127.0.0.1: one RS256 key, its JWKS served over HTTP, and a signer. For
 * demos, local development and tests; never for production tokens.
 */
export async function createDevIssuer(options: DevIssuerOptions = {}): Promise<DevIssuer> {
  checkOptions(options);
  let privateJwk = options.privateJwk;
  if (!privateJwk) {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), alg: 'RS256', kid: `dev-${Date.now().toString(36)}` };
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const jwks = { keys: [{ ...publicJwk, use: 'sig', alg: 'RS256' }] };
  const key = await signingKey(privateJwk, jwks.keys[0]!);
  const body = JSON.stringify(jwks);
  // Through process.getBuiltinModule, not an import, as lib/kernel/node-builtin.ts explains (this folder
  // stands alone, so it asks for it itself): the main entry then bundles for Workers and the Edge.
  const http = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:http') as
    | typeof import('node:http')
    | undefined;
  if (!http) throw new TypeError('espresso-jwt: createDevIssuer needs Node.js (node:http is not available on this platform)');
  const server = http.createServer((req, res) => {
    if (req.url === '/jwks.json' || req.url === '/.well-known/jwks.json') {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'max-age=300');
      res.end(body);
    } else if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer, jwks_uri: jwksUri }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuer ?? base;
  const jwksUri = `${base}/jwks.json`;
  return {
    issuer,
    jwksUri,
    jwks,
    privateJwk,
    sign(claims, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: privateJwk!.kid, typ: 'JWT', ...header })
        .sign(key);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const OPTION_NAMES = ['issuer', 'port', 'privateJwk'];

/** Refused before anything starts: a typo, a port that is no port, a key whose "public" JWKS would publish the key. */
function checkOptions(options: DevIssuerOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('espresso-jwt: createDevIssuer options must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) throw new TypeError(`espresso-jwt: createDevIssuer has no option ${name} (it takes ${OPTION_NAMES.join(', ')})`);
  }
  if (options.issuer !== undefined && (typeof options.issuer !== 'string' || options.issuer === '')) throw new TypeError('espresso-jwt: createDevIssuer option issuer must be a non-empty string');
  const port = options.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new TypeError('espresso-jwt: createDevIssuer option port must be a whole number from 0 to 65535');
  }
  const jwk = options.privateJwk;
  if (jwk !== undefined && (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'RSA' || typeof jwk.d !== 'string')) {
    throw new TypeError('espresso-jwt: createDevIssuer option privateJwk must be a private RSA JWK (the issuer signs RS256 and publishes the public half)');
  }
}

/**
 * The key to sign with, once a probe it signed verifies with the key set published: a reused
 * `privateJwk` that jose cannot import, that is too short for RS256, or whose public half is another
 * key's would otherwise serve a key set that verifies none of its tokens.
 */
async function signingKey(privateJwk: JWK, publicJwk: JWK): Promise<Awaited<ReturnType<typeof importJWK>>> {
  try {
    const key = await importJWK(privateJwk, 'RS256');
    const probe = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(key);
    await compactVerify(probe, await importJWK(publicJwk, 'RS256'));
    return key;
  } catch (e) {
    throw new TypeError(`espresso-jwt: createDevIssuer option privateJwk cannot sign tokens its own key set verifies (${(e as Error).message})`);
  }
}
