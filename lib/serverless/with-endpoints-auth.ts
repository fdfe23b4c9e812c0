import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '../kernel/auth-info.js';
import type { EndpointsAuthOptions } from '../kernel/config.js';
import { endpointsAuth, type EndpointsAuth } from '../express/endpoints-auth.js';
import { admit } from '../node-http/admit.js';
import { writeRefusal } from '../node-http/write-refusal.js';
import type { OpenApiDocument } from '../openapi/openapi-document.js';

/** An Express-style handler, as Google Cloud Functions (functions-framework) calls it. */
export type ExpressStyleHandler<Req extends IncomingMessage, Res extends ServerResponse> = (
  req: Req & { auth?: AuthInfo; originalUrl?: string },
  res: Res,
) => unknown;

/**
 * Guards one Express-style handler (a Cloud Function) with the document. The engine is built once,
 * outside the returned handler, so its keys and verified tokens stay cached across warm invocations.
 * Refusals are always answered as ESP does (there is no `next` to hand them to). The returned handler
 * settles when `handler` does, so the platform sees an async handler's rejection as it would without us.
 */
export function withEndpointsAuth<Req extends IncomingMessage, Res extends ServerResponse>(
  spec: OpenApiDocument,
  handler: ExpressStyleHandler<Req, Res>,
  options?: Omit<EndpointsAuthOptions, 'onError'>,
): ((req: Req, res: Res) => Promise<void>) & { readonly auth: EndpointsAuth };
export function withEndpointsAuth<Req extends IncomingMessage, Res extends ServerResponse>(
  spec: unknown,
  handler: ExpressStyleHandler<Req, Res>,
  options?: Omit<EndpointsAuthOptions, 'onError'>,
): ((req: Req, res: Res) => Promise<void>) & { readonly auth: EndpointsAuth };
export function withEndpointsAuth<Req extends IncomingMessage, Res extends ServerResponse>(
  spec: unknown,
  handler: ExpressStyleHandler<Req, Res>,
  options?: Omit<EndpointsAuthOptions, 'onError'>,
): ((req: Req, res: Res) => Promise<void>) & { readonly auth: EndpointsAuth } {
  const auth = endpointsAuth(spec, options);
  const guarded = async (req: Req & { auth?: AuthInfo; originalUrl?: string }, res: Res): Promise<void> => {
    const refusal = await admit(auth.engine, req, req);
    if (refusal) writeRefusal(res, refusal);
    else await handler(req, res);
  };
  return Object.assign(guarded, { auth });
}
