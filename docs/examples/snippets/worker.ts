// Cloudflare Workers (no Node compatibility needed). The document is bundled as JSON: there are no
// files to read at run time.
import { endpointsAuth } from 'espresso-jwt';
import spec from './openapi.json' with { type: 'json' };

interface Env {
  readonly GREETING: string;
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

// Built once per isolate: keys and verified tokens stay cached between requests.
const auth = endpointsAuth(spec);

export default {
  // Refused requests get ESP's Response; the others reach the handler with env and ctx passed on.
  fetch: auth.fetchHandler(async (request, info, env: Env, ctx: ExecutionContext) => {
    ctx.waitUntil(Promise.resolve());
    return Response.json({ greeting: env.GREETING, email: info?.claims.email ?? null });
  }),
};
