import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { EndpointsAuth } from '../express/endpoints-auth.js';
import { admit } from '../node-http/admit.js';
import { stripUserInfo } from '../node-http/strip-user-info.js';
import { routeOperations, type RouteOperations } from '../match/route-operations.js';
import { operationsMatching, type OperationsMatching } from '../match/operations-matching.js';
import { urlReadings } from '../match/url-readings.js';
import type { Operation } from '../openapi/model.js';
import { dispatchedRoute } from './dispatched-route.js';
import { requestOf } from './nest-request.js';
import { PUBLIC_ROUTE } from './public.decorator.js';
import { ENDPOINTS_AUTH } from './tokens.js';
import { UncheckableContextError } from './uncheckable-context.error.js';

/** The document's operations by route and by template, built once per EndpointsAuth however many guard instances Nest makes. */
interface Indexes {
  readonly routes: RouteOperations;
  readonly templates: OperationsMatching;
}
const indexes = new WeakMap<EndpointsAuth, Indexes>();

/** Every reading a router or a proxy may give a path: letters without regard to case, percent-escapes decoded. */
const LOOSE = { caseless: true, decoded: true } as const;

/**
 * Checks a request against the OpenAPI document on what Nest dispatched. Nest routes before guards,
 * on the method sent (it does not apply `X-HTTP-Method-Override`), so the request is held to the
 * operation of the route whose handler runs (HEAD: the document's HEAD and GET both), and also to the
 * operation ESP would match on the URL for that method when it is another one. An override never
 * chooses the operation: a request carrying one must besides pass ESP's reading with it applied.
 * A route that stands for no operation (the document lacks it, or its pattern, such as `{:id}` or a
 * regular expression, cannot be mapped) is held to ESP's reading of the URL with the method sent and
 * to every operation of that method whose template matches some reading of the URL (letter case,
 * escapes, dot segments, a trailing `/`): such a route never lets a request through on the URL's open
 * operation. A `@Public()` handler or controller is exempt only when no reading of the URL, with any
 * method, is the document's. A GraphQL resolver is checked on its HTTP request; a context with none is
 * refused. A refusal is thrown as the `EndpointsAuthError` for `EndpointsAuthFilter` to answer.
 */
export class EndpointsAuthGuard implements CanActivate {
  private readonly index: Indexes;

  constructor(
    private readonly auth: EndpointsAuth,
    private readonly reflector: Reflector = new Reflector(),
  ) {
    let index = indexes.get(auth);
    if (!index) {
      const model = auth.engine.model;
      indexes.set(auth, (index = { routes: routeOperations(model), templates: operationsMatching(model.operations) }));
    }
    this.index = index;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = requestOf(context);
    if (!req) throw new UncheckableContextError(context.getType<string>());
    const node = req.raw ?? req;
    const route = dispatchedRoute(req);
    const url = node.originalUrl ?? node.url ?? '/';
    const dispatched = route.pattern === undefined ? [] : this.index.routes.find(route.method, route.pattern);
    const unmapped = dispatched.length === 0;
    if (unmapped && this.isPublic(context) && !this.isDocumentUrl(url)) {
      stripUserInfo(node);
      return true;
    }
    // The dispatched operation first, so that `req.auth` names the operation whose handler runs.
    const operations = [...dispatched];
    const methods = route.method === 'HEAD' ? ['HEAD', 'GET'] : [route.method];
    const more = unmapped ? this.atEveryReading(methods, url) : methods.map((m) => this.auth.engine.findOperation(m, url));
    for (const op of more) if (op && !operations.includes(op)) operations.push(op);
    // `routed`: Nest has chosen the handler already, so `req.method` stays and an override only adds a check.
    const refusal = await admit(this.auth.engine, node, req, operations, true, unmapped);
    if (refusal) throw refusal;
    return true;
  }

  /** The operations of `methods` (any method when undefined) whose template matches some reading of the URL. */
  private atEveryReading(methods: readonly string[] | undefined, url: string): Operation[] {
    const found = new Set<Operation>();
    for (const reading of urlReadings(url)) for (const op of this.index.templates.find(methods, reading, LOOSE)) found.add(op);
    return [...found];
  }

  /** True when some reading of the URL, with any method, is one of the document's operations; a target no router reads the same way counts as one. */
  private isDocumentUrl(url: string): boolean {
    return urlReadings(url).length === 0 || this.atEveryReading(undefined, url).length > 0;
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) === true;
  }
}
// The decorators, applied as calls: the library needs no decorator compilation (see tsup.config.ts).
Injectable()(EndpointsAuthGuard);
Inject(ENDPOINTS_AUTH)(EndpointsAuthGuard, undefined, 0);
Inject(Reflector)(EndpointsAuthGuard, undefined, 1);

