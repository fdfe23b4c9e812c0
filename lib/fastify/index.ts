export { endpointsAuthPlugin, endpointsAuthPlugin as default, type EndpointsAuthPluginOptions } from './endpoints-auth-plugin.js';
export type { AuthInfo, Register } from '../kernel/auth-info.js';
