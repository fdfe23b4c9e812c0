export { endpointsAuth, type EndpointsAuthState } from './endpoints-auth.js';
export type { AuthInfo, Register } from '../core/auth-info.js';
export type { EndpointsAuthOptions } from '../core/config.js';
