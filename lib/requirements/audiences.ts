/**
 * ESPv2 (Envoy's check_audience) compares audiences with a leading `http://` or `https://` and one
 * trailing `/` removed, on both sides; ESP v1 (GetUrlContent) strips issuers and audiences the same way.
 */
export function normalizeAudience(audience: string): string {
  let a = audience;
  if (a.startsWith('https://')) a = a.slice(8);
  else if (a.startsWith('http://')) a = a.slice(7);
  if (a.endsWith('/')) a = a.slice(0, -1);
  return a;
}

/** The audiences a provider accepts for one requirement, normalised once. */
export function allowedAudiences(configured: readonly string[], serviceName: string | undefined): ReadonlySet<string> {
  const list = configured.length > 0 ? configured : serviceName ? [`https://${serviceName}`] : [];
  return new Set(list.map(normalizeAudience));
}

/** A token passes when any of its audiences is allowed; a token without `aud` never does. */
export function audienceAllowed(tokenAudiences: readonly string[], allowed: ReadonlySet<string>): boolean {
  for (const a of tokenAudiences) if (allowed.has(normalizeAudience(a))) return true;
  return false;
}
