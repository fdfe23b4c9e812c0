import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { EndpointsAuth } from '../express/endpoints-auth.js';
import { admit, type NodeRequest } from '../node-http/admit.js';
import { stripUserInfo } from '../node-http/strip-user-info.js';
import type { Engine } from '../engine/create-engine.js';
import { routeOperations, type RouteOperations } from '../match/route-operations.js';
import type { Operation } from '../openapi/model.js';
import { dispatchedRoute } from './dispatched-route.js';
import { requestOf } from './nest-request.js';
import { PUBLIC_ROUTE } from './public.decorator.js';
import { ENDPOINTS_AUTH } from './tokens.js';
import { UncheckableContextError } from './uncheckable-context.error.js';

/** One index of routes per EndpointsAuth, however many guard instances Nest makes. */
const indexes = new WeakMap<EndpointsAuth, RouteOperations>();

/**
 * Checks a request against the OpenAPI document on what Nest dispatched: the operation of the route
 * whose handler runs (its method and path pattern, as the platform matched them), and also the
 * operation ESP would match on the URL when that is another one, so the request is held to the
 * stricter of the two whenever they could disagree. A route the document does not define gets ESP's
 * refusal (404), unless the handler or controller is `@Public()` and the URL is not the document's
 * either. A GraphQL resolver is checked on its HTTP request; a context with none is refused.
 * A refusal is thrown as the `EndpointsAuthError` for `EndpointsAuthFilter` to answer.
 */
export class EndpointsAuthGuard implements CanActivate {
  private readonly routes: RouteOperations;

  constructor(
    private readonly auth: EndpointsAuth,
    private readonly reflector: Reflector = new Reflector(),
  ) {
    let routes = indexes.get(auth);
    if (!routes) indexes.set(auth, (routes = routeOperations(auth.engine.model)));
    this.routes = routes;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = requestOf(context);
    if (!req) throw new UncheckableContextError(context.getType<string>());
    const node = req.raw ?? req;
    const route = dispatchedRoute(req);
    const dispatched = route.pattern === undefined ? [] : this.routes.find(route.method, route.pattern);
    // The dispatched operation first, so that `req.auth` names the operation whose handler runs.
    const operations = [...dispatched];
    for (const op of operationsAtUrl(this.auth.engine, node, route.method)) if (!operations.includes(op)) operations.push(op);
    if (operations.length === 0 && this.isPublic(context)) {
      stripUserInfo(node);
      return true;
    }
    // With no operation, ESP's answer for a request the document does not define (or a pass, under
    // x-google-allow: all). `routed`: Nest has chosen the handler already, so `req.method` stays.
    const refusal = await admit(this.auth.engine, node, req, operations, true);
    if (refusal) throw refusal;
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) === true;
  }
}
// The decorators, applied as calls: the library needs no decorator compilation (see tsup.config.ts).
Injectable()(EndpointsAuthGuard);
Inject(ENDPOINTS_AUTH)(EndpointsAuthGuard, undefined, 0);
Inject(Reflector)(EndpointsAuthGuard, undefined, 1);

/**
 * The operations ESP would match on the URL: for the method sent, for GET too when it is HEAD (the
 * platforms answer HEAD with a GET handler), and for the `X-HTTP-Method-Override` method, which ESP
 * would check although Nest runs the handler of the method sent.
 */
function operationsAtUrl(engine: Engine, node: NodeRequest, method: string): Operation[] {
  const url = node.originalUrl ?? node.url ?? '/';
  const override = node.headers['x-http-method-override'];
  const methods = new Set([method]);
  if (method === 'HEAD') methods.add('GET');
  if (typeof override === 'string' && override !== '') methods.add(override.toUpperCase());
  const found: Operation[] = [];
  for (const m of methods) {
    const op = engine.findOperation(m, url);
    if (op && !found.includes(op)) found.push(op);
  }
  return found;
}
