export { endpointsAuth, type EndpointsAuthState } from './endpoints-auth.js';
export type { AuthInfo, Register } from '../kernel/auth-info.js';
export type { EndpointsAuthOptions } from '../kernel/config.js';
