// A Worker as a user writes it, against the package's main entry: bundled by the Edge tests and run
// in workerd and in the Edge runtime. SPEC is replaced at bundle time by the test's document.
import { endpointsAuth } from '../../lib/index.js';

declare const SPEC: unknown;

interface Env {
  readonly [binding: string]: unknown;
}
interface Context {
  waitUntil(promise: Promise<unknown>): void;
}

const auth = endpointsAuth<{ sub: string; email?: string }>(SPEC);

/** Echoes what the handler saw, including the extra arguments the platform passed. */
export const handle = auth.fetchHandler(async (request: Request, info, env: Env, ctx: Context) =>
  Response.json({
    reached: true,
    method: request.method,
    sub: info?.claims.sub ?? null,
    email: info?.claims.email ?? null,
    operationId: info?.operationId ?? null,
    userinfo: request.headers.get('x-endpoint-api-userinfo'),
    env: env && Object.keys(env).sort(),
    ctx: typeof ctx?.waitUntil,
    platform: { buffer: typeof (globalThis as { Buffer?: unknown }).Buffer, process: typeof (globalThis as { process?: unknown }).process },
  }),
);

export default { fetch: handle };

/** Stops the key refresh timer: in @edge-runtime/vm it is a Node timer that would keep the test process alive. */
export const close = () => auth.close();
