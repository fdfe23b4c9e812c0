/**
 * One route an Express app registered, in registration order: a method (`_all` for `app.all`), its
 * whole path, and its path below each Router mount it sits under (a document may spell its paths
 * relative to the mount the middleware is used at).
 */
interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
  readonly belowMounts: readonly string[];
}

/** What the app's router could be read as; `readable: false` when some part of it has a shape we do not know. */
export type AppRoutes = { readonly readable: true; readonly routes: readonly RegisteredRoute[] } | { readonly readable: false };

interface LayerShape {
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
  /** Express 5 (router 2): the path the layer was registered with. */
  rawPath?: unknown;
  /** Express 4: the mount path compiled (`fast_slash` when it is `/`), and its parameters. */
  regexp?: { fast_slash?: boolean; source?: string };
  keys?: unknown[];
}

/**
 * Express 4's regular expression for a mount path of literal segments (`/v1` is `^\/v1\/?(?=\/|$)`);
 * any other shape (parameters, wildcards) is not read back.
 */
const EXPRESS4_MOUNT = /^\^((?:\\\/(?:[A-Za-z0-9_~-]|\\\.)+)+)\\\/\?\(\?=\\\/\|\$\)$/;

function express4Mount(layer: LayerShape): string | undefined {
  if (layer.regexp?.fast_slash) return '/';
  if (layer.keys?.length !== 0 || typeof layer.regexp?.source !== 'string') return undefined;
  const literal = EXPRESS4_MOUNT.exec(layer.regexp.source)?.[1];
  return literal?.replace(/\\(.)/g, '$1');
}

/**
 * The router stack of an Express app, `app.router` on Express 5 and `app._router` on Express 4
 * (created with the first route); undefined when neither is there (not Express, or no route yet).
 */
export function routerStack(app: unknown): unknown[] | undefined {
  const a = app as { router?: { stack?: unknown }; _router?: { stack?: unknown } } | undefined;
  if (a === undefined || a === null) return undefined;
  // Express 4's `app.router` is a getter that throws ("deprecated"): `_router` is read first.
  if (a._router !== undefined) return Array.isArray(a._router.stack) ? a._router.stack : undefined;
  try {
    const stack = a.router?.stack;
    return Array.isArray(stack) ? stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every route of an Express 4 or 5 app in the order its router tries them, nested Routers included
 * with their mount paths. Express 4 keeps a Router's mount path only as a regular expression, read back
 * when the path is literal segments; a Router mounted at a parameter or wildcard on Express 4, a route
 * whose path is a regular expression, or a layer of a shape we do not know makes the whole app
 * unreadable: the caller then assumes any order.
 */
export function readRoutes(stack: readonly unknown[]): AppRoutes {
  const routes: RegisteredRoute[] = [];
  const walk = (layers: readonly unknown[], prefix: string, depth: number, mounts: readonly string[] = []): boolean => {
    if (depth > 16) return false;
    for (const raw of layers) {
      const layer = raw as LayerShape;
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        if (!paths.every((p): p is string => typeof p === 'string')) return false;
        const methods = Object.keys(layer.route.methods ?? {}).filter((m) => layer.route!.methods![m]);
        for (const p of paths) {
          const path = join(prefix, p);
          const belowMounts = mounts.filter((m) => m !== '/').map((m) => path.slice(m.length) || '/');
          for (const method of methods) routes.push({ method, path, belowMounts });
        }
        continue;
      }
      const nested = layer.handle?.stack;
      if (!Array.isArray(nested)) continue; // a middleware: it dispatches to no route of ours
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : express4Mount(layer);
      if (mount === undefined) return false;
      const at = join(prefix, mount);
      if (!walk(nested, at, depth + 1, [...mounts, at])) return false;
    }
    return true;
  };
  return walk(stack, '', 0) ? { readable: true, routes } : { readable: false };
}

function join(prefix: string, path: string): string {
  const whole = (prefix.endsWith('/') ? prefix.slice(0, -1) : prefix) + (path === '/' ? '' : path);
  return whole === '' ? '/' : whole;
}
