// Run by lifecycle.test.ts in a child process: loads keys every way that leaves something scheduled,
// closes its HTTP servers, then returns from main. Argument: "true" to call auth.close() first.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { endpointsAuth } from '../../lib/index.js';
import { AUDIENCE, bookstore, ISSUER } from '../helpers/fixture.js';
import { send } from '../helpers/http.js';
import { KeyServer } from '../helpers/key-server.js';
import { jwks, makeKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';

const keyServer = await new KeyServer().start();
const key = await makeKey('ES256');
const auth = endpointsAuth(bookstore(keyServer.serve('/jwks', jwks(key)), { 'x-google-jwks_cache_duration_in_s': 1 }), { keyFetchTimeoutMs: 30_000 });
const app = express().use(auth).use((_req, res) => res.end('ok'));
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const claims = { iss: ISSUER, sub: 'u', aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 600 };
const statuses = [];
for (const header of [{}, { kid: 'unknown' }]) {
  const r = await send(base, '/v1/shelves', { headers: { authorization: `Bearer ${await mint(key, claims, header)}` } });
  statuses.push(r.status);
}
console.log(`statuses ${statuses.join(',')} downloads ${keyServer.count('/jwks')}`);
if (process.argv[2] === 'true') auth.close();
server.close();
await keyServer.stop();
console.log('done');
