import type { TopologyStore } from "../topology-store";
import type { ApiRouter } from "./api-router";
import { NO_QUERY, queryOf } from "./query-of";

/**
 * Registers `POST /v1/evaluate`: the decision for an incoming request by the store's current
 * settings. It writes nothing, so any token may call it.
 */
export function registerEvaluateRoute(router: ApiRouter, store: TopologyStore): void {
  router.route(
    "POST",
    "/v1/evaluate",
    { access: "read", bodyTypes: ["application/json"] },
    async (request) => {
      queryOf(request, NO_QUERY);
      return store.evaluate(request.body);
    },
  );
}
