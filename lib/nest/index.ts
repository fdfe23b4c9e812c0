// `espresso-jwt/nest`: the NestJS module. @nestjs/common and @nestjs/core are optional peer dependencies.
export {
  EndpointsAuthModule,
  type EndpointsAuthModuleOptions,
  type EndpointsAuthModuleAsyncOptions,
  type EndpointsAuthModuleScope,
  type EndpointsAuthOptionsFactory,
} from './endpoints-auth.module.js';
export { Claims } from './claims.decorator.js';
export { Public, PUBLIC_ROUTE } from './public.decorator.js';
export { EndpointsAuthGuard } from './endpoints-auth.guard.js';
export { EndpointsAuthFilter } from './endpoints-auth.filter.js';
export { GraphqlRefusal } from './graphql-refusal.js';
export { UncheckableContextError } from './uncheckable-context.error.js';
export { ENDPOINTS_AUTH } from './tokens.js';
export { EndpointsAuthError } from '../errors/endpoints-auth-error.js';
export type { AuthInfo } from '../kernel/auth-info.js';
export type { EndpointsAuth } from '../express/endpoints-auth.js';
