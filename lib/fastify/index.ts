export { endpointsAuthPlugin, endpointsAuthPlugin as default, type EndpointsAuthPluginOptions } from './endpoints-auth-plugin.js';
export type { AuthInfo, Register } from '../core/auth-info.js';
