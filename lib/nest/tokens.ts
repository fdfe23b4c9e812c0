/** Injection token of the `EndpointsAuth` the module builds: `@Inject(ENDPOINTS_AUTH) auth: EndpointsAuth`. */
export const ENDPOINTS_AUTH = Symbol.for('espresso-jwt:endpoints-auth');
