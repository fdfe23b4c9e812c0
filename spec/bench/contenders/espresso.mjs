import { endpointsAuth } from 'espresso-jwt';
import { benchDocument } from '../document.mjs';
import { env, serve } from './serve.mjs';

const auth = endpointsAuth(benchDocument(env.operations, env.issuer, env.jwksUri, env.audience), { compatibility: env.compatibility });
await auth.ready();
serve(`espresso-jwt (${env.compatibility}, ${env.operations} op)`, auth, () => ({ tokenCache: auth.engine.tokenCache.size, tokenCacheHits: auth.engine.tokenCache.hits }));
