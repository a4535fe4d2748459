import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
} from "fastify";
import { HttpError } from "./http-error";

/** A route's handler. */
export type ApiHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ALL_METHODS: readonly HTTPMethods[] = ["GET", "PUT", "PATCH", "POST", "DELETE", "OPTIONS"];

/**
 * Registers the API's routes and keeps the methods of each path, so that the 405 answers of
 * the other methods (with their `Allow` header) are derived from the routes themselves.
 */
export class ApiRouter {
  readonly #methods = new Map<string, HTTPMethods[]>();

  constructor(private readonly app: FastifyInstance) {}

  /** Registers a route of the API. */
  route(method: HTTPMethods, url: string, config: FastifyContextConfig, handler: ApiHandler): void {
    this.app.route({ method, url, config, handler });
    const methods = this.#methods.get(url) ?? [];
    methods.push(method);
    this.#methods.set(url, methods);
  }

  /**
   * Answers every other method of each path registered so far with 405 and the methods it
   * does answer. Only an administrator gets that far: a view-only token is refused first
   * (403), as for any write.
   */
  registerMethodNotAllowed(): void {
    for (const [url, methods] of this.#methods) {
      const others = ALL_METHODS.filter((method) => !methods.includes(method));
      const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].join(", ");
      // How the contract names the path: a parameter as {name}.
      const shown = url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      this.app.route({
        method: others as HTTPMethods[],
        url,
        config: { access: "admin" },
        handler: async (request, reply) => {
          reply.header("allow", allow);
          throw new HttpError(
            "method_not_allowed",
            `${request.method} is not allowed on ${shown}; it answers ${allow}`,
          );
        },
      });
    }
  }
}
