import crypto from 'node:crypto';
import { env, serve } from './serve.mjs';

// Not a middleware to use: it skips ESP's rules. limit-verify with node:crypto's verify given a
// callback, so that the RSA arithmetic runs on libuv's thread pool and the main thread goes on serving.
const { keys } = await (await fetch(env.jwksUri)).json();
const byKid = new Map(keys.map((jwk) => [jwk.kid, crypto.createPublicKey({ key: jwk, format: 'jwk' })]));
const decode = (segment) => JSON.parse(Buffer.from(segment, 'base64url').toString());
serve('limit: cheapest per-token verify on the thread pool', (req, res, next) => {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return void res.status(401).end();
  const [h, p, s] = header.slice(7).split('.');
  const key = byKid.get(decode(h).kid);
  if (!key) return void res.status(401).end();
  crypto.verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'), (error, ok) => {
    if (error || !ok) return void res.status(401).end();
    const claims = decode(p);
    if (claims.exp < Date.now() / 1000 || claims.aud !== env.audience) return void res.status(401).end();
    req.auth = claims;
    next();
  });
});
