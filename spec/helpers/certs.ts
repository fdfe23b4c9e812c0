import { readFileSync } from 'node:fs';
import { exportJWK, importPKCS8, importX509 } from 'jose';
import type { TestKey } from './keys.js';

/** A key with a self-signed X.509 certificate, as Google serves a service account's keys. */
export interface CertKey extends TestKey {
  readonly cert: string;
}

const dir = new URL('../fixtures/x509/', import.meta.url);

/**
 * One of the two RSA key pairs under spec/fixtures/x509 (made once with `openssl req -x509 -newkey
 * rsa:2048 -days 36500`: jose can read certificates but not make them). Signs RS256.
 */
export async function certKey(which: 1 | 2, kid: string): Promise<CertKey> {
  const cert = readFileSync(new URL(`sa-${which}.cert.pem`, dir), 'utf8');
  const privateKey = await importPKCS8(readFileSync(new URL(`sa-${which}.key.pem`, dir), 'utf8'), 'RS256');
  const publicJwk = await exportJWK(await importX509(cert, 'RS256', { extractable: true }));
  return { alg: 'RS256', kid, privateKey, jwk: { ...publicJwk, kid, alg: 'RS256' }, pem: undefined, cert };
}

/** Google's X.509 map: `{ kid: certificate }`. */
export const x509Map = (...keys: CertKey[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k.kid, k.cert]));
