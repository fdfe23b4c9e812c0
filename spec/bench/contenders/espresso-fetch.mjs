import { endpointsAuth } from 'espresso-jwt';
import { benchDocument } from '../document.mjs';
import { env } from './serve.mjs';
import { serveFetch } from './serve-fetch.mjs';

// espresso-jwt's Fetch shell (auth.fetchHandler) on @hono/node-server, as Hono, Bun or Deno users run it.
const auth = endpointsAuth(benchDocument(env.operations, env.issuer, env.jwksUri, env.audience));
await auth.ready();
serveFetch(
  'espresso-jwt fetch handler',
  auth.fetchHandler((request) => Response.json({ shelf: new URL(request.url).pathname.split('/')[3] })),
  () => ({ tokenCache: auth.engine.tokenCache.size, tokenCacheHits: auth.engine.tokenCache.hits }),
);
