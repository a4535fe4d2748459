import type { FastifyInstance } from "fastify";
import type { Access } from "./request-context";

interface RouteEntry {
  readonly methods: readonly string[];
  readonly pattern: RegExp;
  readonly access: Access;
}

/**
 * Who may call a request the router could not match or decode (a malformed percent-encoding,
 * a parameter over the length limit): read from the routes themselves, as they are registered,
 * so that such a request is authenticated and authorized exactly as the route it was aimed at
 * (the order of concerns of docs/api.md: authentication and role first).
 */
export class RouteAccess {
  readonly #routes: RouteEntry[] = [];

  /** Records every route registered on `app` from now on, with its `access`. */
  constructor(app: FastifyInstance) {
    app.addHook("onRoute", (route) => {
      const access = route.config?.access;
      if (access === undefined) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      this.#routes.push({ methods, pattern: patternOf(route.url), access });
    });
  }

  /**
   * The access of a request by its method and raw URL: the route's whose method and pattern
   * match, else `read` for any other path under `/v1/` (as an unknown path there is answered),
   * else `public`.
   */
  accessOf(method: string, url: string): Access {
    const path = url.split("?")[0] ?? "";
    const route = this.#routes.find((entry) => entry.methods.includes(method) && entry.pattern.test(path));
    if (route !== undefined) return route.access;
    return path.startsWith("/v1/") || path === "/v1" ? "read" : "public";
  }
}

// A route's URL as a pattern over raw paths: a parameter (":name") is one path segment.
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+)/)
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}
