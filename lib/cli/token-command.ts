import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { createDevIssuer } from '../dev-issuer/create-dev-issuer.js';
import { readDocument } from '../openapi/read-document.js';
import { SpecError } from '../errors/spec-error.js';
import { readSpec } from './read-spec.js';
import { InputError, UsageError, type CommandIo, unenforceable } from './usage-error.js';

export const TOKEN_USAGE = `espresso-jwt token --spec FILE [--scheme NAME] [--claims JSON] [--key FILE] [--jwks-out FILE] [--serve] [--port N]

A development issuer: prints a token that the scheme accepts (its x-google-issuer as iss, its first
audience, or https://<host>, as aud, one hour of validity), signed with an RS256 key.
  --scheme NAME     the security scheme (default: the first JWT provider of the document)
  --claims JSON     claims to add or override, e.g. '{"sub":"alice","email":"a@example.com"}'
  --key FILE        a private JWK file to reuse; created there when it does not exist
  --jwks-out FILE   write the public key set there (point x-google-jwks_uri at it, or pass it as the keys option)
  --serve           keep serving the key set on 127.0.0.1 until interrupted (prints its URL)
  --port N          port for --serve (default: any free port)`;

export async function tokenCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      spec: { type: 'string' },
      scheme: { type: 'string' },
      claims: { type: 'string' },
      key: { type: 'string' },
      'jwks-out': { type: 'string' },
      serve: { type: 'boolean' },
      port: { type: 'string' },
    },
    strict: true,
  });
  const doc = await readSpec(values.spec);
  const { model, problems } = readDocument(doc);
  // A token for a document the middleware would refuse to start with would be refused with it.
  if (problems.hasErrors) throw unenforceable(new SpecError(problems.list).message, values.spec);
  const providers = [...model.providers.values()];
  const provider = values.scheme ? model.providers.get(values.scheme) : providers[0];
  if (!provider) {
    throw new InputError(values.scheme ? `the document has no JWT security scheme "${values.scheme}" (it has: ${providers.map((p) => p.name).join(', ') || 'none'})` : 'the document has no JWT security scheme (x-google-issuer)');
  }
  let extra: Record<string, unknown> = {};
  if (values.claims) {
    try {
      extra = JSON.parse(values.claims);
    } catch (e) {
      throw new UsageError(`--claims is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new UsageError('--claims must be a JSON object');
  }
  let privateJwk: JWK | undefined;
  if (values.key) {
    // A file that is not there yet is written below with the new key; one that is there must hold a JWK.
    const text = await readFile(values.key, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        privateJwk = JSON.parse(text) as JWK;
      } catch (e) {
        throw new InputError(`${values.key} is not JSON (${(e as Error).message}): --key names a private RSA JWK file, or one to write a new key to`);
      }
    }
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  // createDevIssuer checks the key (a private RSA JWK that signs what its key set verifies): its
  // refusal is said of the file.
  const issuer = await createDevIssuer({ issuer: provider.issuer, privateJwk, port }).catch((e: unknown) => {
    if (privateJwk && e instanceof TypeError) {
      throw new InputError(`${values.key} holds no private RSA JWK that can sign dev tokens (${e.message}); remove the file to have a new key written there`);
    }
    throw e;
  });
  try {
    if (values.key && !privateJwk) await writeFile(values.key, `${JSON.stringify(issuer.privateJwk, null, 2)}\n`, { mode: 0o600 });
    if (values['jwks-out']) await writeFile(values['jwks-out'], `${JSON.stringify(issuer.jwks, null, 2)}\n`);
    const aud = provider.audiences[0] ?? (model.serviceName ? `https://${model.serviceName}` : undefined);
    const token = await issuer.sign({ sub: 'dev-user', ...(aud ? { aud } : {}), ...extra });
    io.stdout.write(`${token}\n`);
    if (!values.key && !values['jwks-out'] && !values.serve) {
      io.stderr.write('note: the key that signed this token was not kept, so no key set verifies it: add --key FILE to keep and reuse it, --jwks-out FILE to write its key set, or --serve to serve it\n');
    }
    if (!values.serve) return 0;
    io.stderr.write(`serving the key set at ${issuer.jwksUri} (set x-google-jwks_uri of "${provider.name}" to it); Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return 0;
  } finally {
    await issuer.close();
  }
}
