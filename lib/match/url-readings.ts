import { routingPath } from './routing-path.js';

/**
 * The paths (with their query) a server or a proxy in front of it may read a request target as: the
 * target as routed (the absolute form's authority dropped), and that path with runs of `/` merged and
 * dot segments resolved (`/x/../admin`, `/./admin`, `/public/%2e%2e/admin` are `/admin` to the WHATWG
 * URL parser, and to many a framework or proxy). Letter case and percent-escapes are left to the
 * matcher's `caseless` and `decoded` modes. A target with a fragment has none: routers read it their
 * own way, and the engine refuses it.
 */
export function urlReadings(target: string): string[] {
  const { url, fragment } = routingPath(target);
  if (fragment) return [];
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q);
  const readings = [url];
  let resolved: string;
  try {
    resolved = new URL(path.replace(/\/{2,}/g, '/'), 'http://h').pathname + query;
  } catch {
    return readings;
  }
  if (resolved !== url) readings.push(resolved);
  return readings;
}
