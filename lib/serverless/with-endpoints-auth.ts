import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '../kernel/auth-info.js';
import { refuseOnError, type EndpointsAuthOptions } from '../kernel/config.js';
import type { RequestDescription } from '../kernel/request-view.js';
import type { CheckResult } from '../engine/check-result.js';
import { createEngine, type Engine } from '../engine/create-engine.js';
import { admit } from '../node-http/admit.js';
import { writeRefusal } from '../node-http/write-refusal.js';
import type { OpenApiDocument } from '../openapi/openapi-document.js';

/** An Express-style handler, as Google Cloud Functions (functions-framework) calls it. */
export type ExpressStyleHandler<Req extends IncomingMessage, Res extends ServerResponse> = (
  req: Req & { auth?: AuthInfo; originalUrl?: string },
  res: Res,
) => unknown;

/** What a guarded handler's `auth` offers: the engine's decision and lifecycle, with no framework. */
export interface HandlerAuth {
  /** The decision the handler acts on, for a request described by hand. */
  check(request: RequestDescription): Promise<CheckResult>;
  /** Resolves when every provider's keys are loaded; rejects when some cannot be. */
  ready(): Promise<void>;
  /** Stops background key refreshes. */
  close(): void;
  /** The core, for adapters and tests. */
  readonly engine: Engine;
}

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
): ((req: Req, res: Res) => Promise<void>) & { readonly auth: HandlerAuth };
export function withEndpointsAuth<Req extends IncomingMessage, Res extends ServerResponse>(
  spec: unknown,
  handler: ExpressStyleHandler<Req, Res>,
  options?: Omit<EndpointsAuthOptions, 'onError'>,
): ((req: Req, res: Res) => Promise<void>) & { readonly auth: HandlerAuth };
export function withEndpointsAuth<Req extends IncomingMessage, Res extends ServerResponse>(
  spec: unknown,
  handler: ExpressStyleHandler<Req, Res>,
  options?: Omit<EndpointsAuthOptions, 'onError'>,
): ((req: Req, res: Res) => Promise<void>) & { readonly auth: HandlerAuth } {
  refuseOnError(options, 'withEndpointsAuth', "which always answers a refusal with ESP's response (use auth.check in your handler to decide otherwise)");
  return guardHandler(createEngine(spec, options), handler);
}

/** The shell itself, on an engine built by the caller. */
function guardHandler<Req extends IncomingMessage, Res extends ServerResponse>(
  engine: Engine,
  handler: ExpressStyleHandler<Req, Res>,
): ((req: Req, res: Res) => Promise<void>) & { readonly auth: HandlerAuth } {
  const guarded = async (req: Req & { auth?: AuthInfo; originalUrl?: string }, res: Res): Promise<void> => {
    const refusal = await admit(engine, req, req);
    if (refusal) writeRefusal(res, refusal);
    else await handler(req, res);
  };
  const auth: HandlerAuth = {
    check: (request) => engine.check(request),
    ready: () => engine.ready(),
    close: () => engine.close(),
    engine,
  };
  return Object.assign(guarded, { auth });
}
