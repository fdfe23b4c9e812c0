import type { Compatibility } from '../kernel/config.js';
import type { CheckName } from '../failures/catalogue.js';

/**
 * The order in which each ESP runs the checks: ESPv2 checks time after the issuer; ESP v1 checks time
 * while parsing, before the issuer.
 */
export const STEP_ORDER: { readonly [C in Compatibility]: readonly CheckName[] } = {
  espv2: ['operation', 'token', 'parse', 'issuer', 'time', 'audience', 'keys', 'signature', 'scopes', 'api_key'],
  esp: ['operation', 'token', 'parse', 'time', 'issuer', 'audience', 'keys', 'signature', 'scopes', 'api_key'],
  'esp-1.32': ['operation', 'token', 'parse', 'time', 'issuer', 'audience', 'keys', 'signature', 'scopes', 'api_key'],
};
