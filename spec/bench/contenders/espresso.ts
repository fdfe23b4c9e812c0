import { endpointsAuth } from '../../../lib/index.js';
import { benchDocument } from '../document.js';
import { env, serve } from './serve.js';

const auth = endpointsAuth(benchDocument(env.operations, env.issuer, env.jwksUri, env.audience));
await auth.ready();
serve(`espresso-jwt (${env.operations} op)`, auth as never, () => ({ tokenCache: auth.engine.tokenCache.size }));
