import type { TopologyStore } from "../topology-store";
import type { ApiRouter } from "./api-router";
import { NO_QUERY, queryOf } from "./query-of";
import { writeContextOf } from "./request-context";

/**
 * Registers the token routes: `POST /v1/tokens` (the only answer that shows a secret),
 * `GET /v1/tokens` and `DELETE /v1/tokens/{name}`; administrators only.
 */
export function registerTokenRoutes(router: ApiRouter, store: TopologyStore): void {
  router.route(
    "POST",
    "/v1/tokens",
    { access: "admin", bodyTypes: ["application/json"] },
    async (request, reply) => {
      queryOf(request, NO_QUERY);
      return reply.code(201).send(await store.createToken(request.body, writeContextOf(request)));
    },
  );

  router.route("GET", "/v1/tokens", { access: "admin" }, async (request) => {
    queryOf(request, NO_QUERY);
    return { items: await store.listTokens() };
  });

  router.route("DELETE", "/v1/tokens/:name", { access: "admin" }, async (request, reply) => {
    queryOf(request, NO_QUERY);
    const { name } = request.params as { readonly name: string };
    await store.deleteToken(name, writeContextOf(request));
    return reply.code(204).send();
  });
}
