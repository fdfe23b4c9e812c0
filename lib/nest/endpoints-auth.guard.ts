import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { EndpointsAuth } from '../express/endpoints-auth.js';
import { admit } from '../node-http/admit.js';
import { stripUserInfo } from '../node-http/strip-user-info.js';
import type { Operation } from '../openapi/model.js';
import { dispatchedRoute } from './dispatched-route.js';
import { requestOf } from './nest-request.js';
import { PUBLIC_ROUTE } from './public.decorator.js';
import { RouteOperations } from './route-operations.js';
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
    if (!routes) indexes.set(auth, (routes = new RouteOperations(auth.engine)));
    this.routes = routes;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = requestOf(context);
    if (!req) throw new UncheckableContextError(context.getType<string>());
    const node = req.raw ?? req;
    const route = dispatchedRoute(req);
    const dispatched: readonly Operation[] = route.pattern === undefined ? [] : this.routes.ofRoute(route.method, route.pattern);
    const byUrl = this.routes.ofUrl(route.method, node.originalUrl ?? node.url ?? '/');
    const operations: readonly Operation[] = byUrl && !dispatched.includes(byUrl) ? [byUrl, ...dispatched] : dispatched;

    if (operations.length === 0) {
      if (this.isPublic(context)) {
        stripUserInfo(node);
        return true;
      }
      // ESP's answer for a request the document does not define (or a pass, under x-google-allow: all).
      const refusal = await admit(this.auth.engine, node, req);
      if (refusal) throw refusal;
      return true;
    }
    // The dispatched operation last, so that `req.auth` names the operation whose handler runs.
    for (const op of operations) {
      const refusal = await admit(this.auth.engine, node, req, op.id);
      if (refusal) throw refusal;
    }
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
