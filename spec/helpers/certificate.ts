import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8 } from 'jose';
import type { TestKey } from './keys.js';

/**
 * A fresh self-signed RSA certificate made with openssl at test time (jose cannot create
 * certificates), as Google serves them for service accounts: `{kid: PEM}` maps. Returns the PEM and a
 * TestKey that signs RS256 tokens with the certificate's private key.
 */
export async function selfSignedCertificate(kid: string): Promise<{ pem: string; key: TestKey }> {
  const dir = mkdtempSync(join(tmpdir(), 'espresso-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=espresso-jwt test',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const privateKey = await importPKCS8(readFileSync(join(dir, 'key.pem'), 'utf8'), 'RS256');
    return { pem, key: { alg: 'RS256', kid, privateKey, jwk: {}, pem } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
