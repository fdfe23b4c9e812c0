import type { Compatibility, EndpointsAuthOptions } from './config.js';

/**
 * Options that only ESPv2's rules have, with what ESP v1 does instead. Under `'esp'` and `'esp-1.32'`
 * they would have no effect, so setting one is refused rather than ignored without a word: a user who
 * sets it expects it to work. The one value that asks for what ESP v1 does anyway (`harmless`) is
 * accepted. Compatibility `'espv2'` is the generation they belong to; every other option applies to all.
 */
const ESPV2_ONLY = {
  keyFetchCrossHostRedirects: { harmless: false, instead: 'ESP v1 follows no redirect of a key URL' },
  unknownKidCooldownSeconds: { harmless: undefined, instead: 'ESP v1 never refreshes keys for an unknown kid' },
  userInfoPadding: { harmless: true, instead: 'ESP v1 always pads X-Endpoint-API-UserInfo' },
} as const satisfies { readonly [K in keyof EndpointsAuthOptions]?: { readonly harmless: EndpointsAuthOptions[K]; readonly instead: string } };

/** Throws a TypeError naming the option and the flavour it belongs to when `compatibility` lacks it. */
export function refuseOtherFlavoursOptions(options: EndpointsAuthOptions, compatibility: Compatibility): void {
  if (compatibility === 'espv2') return;
  for (const [name, { harmless, instead }] of Object.entries(ESPV2_ONLY)) {
    const value = options[name as keyof typeof ESPV2_ONLY];
    if (value === undefined || value === harmless) continue;
    throw new TypeError(`espresso-jwt: option ${name} applies to compatibility 'espv2' only, not '${compatibility}': ${instead}`);
  }
}
