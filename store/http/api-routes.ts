import type { FastifyInstance } from "fastify";
import { KINDS } from "../../core";
import type { TopologyStore } from "../topology-store";
import { ApiRouter } from "./api-router";
import { registerAuditRoutes } from "./audit-routes";
import { registerEvaluateRoute } from "./evaluate-route";
import { registerKindRoutes } from "./kind-routes";
import { openApiDocument } from "./openapi";
import { NO_QUERY, queryOf } from "./query-of";
import { registerSubscriptionRoutes } from "./subscription-routes";
import { registerTokenRoutes } from "./token-routes";
import type { WebhookPolicy } from "../events/webhook-url";
import { DEFAULT_WEBHOOK_POLICY } from "../events/webhook-url";

/**
 * Registers the routes of the HTTP API v1 (docs/api.md): health,
 * the API document, the routes of every resource kind of `KINDS`, evaluation, the audit log
 * the tokens and the change-event subscriptions, and the 405 answers of every other method on their paths.
 */
export function registerApiRoutes(
  app: FastifyInstance,
  store: TopologyStore,
  webhooks: WebhookPolicy = DEFAULT_WEBHOOK_POLICY,
): void {
  app.get("/healthz", { config: { access: "public" } }, async (request) => {
    queryOf(request, NO_QUERY);
    return { status: "ok" };
  });

  const router = new ApiRouter(app);
  // docs/api.md gives the view-only role the GETs of providers, federation and audit and
  // evaluate, and "everything else 403": the API document is for administrators.
  router.route("GET", "/v1/openapi.json", { access: "admin" }, async (request) => {
    queryOf(request, NO_QUERY);
    return openApiDocument();
  });
  for (const kind of KINDS) registerKindRoutes(router, store, kind);
  registerEvaluateRoute(router, store);
  registerAuditRoutes(router, store);
  registerTokenRoutes(router, store);
  registerSubscriptionRoutes(router, store.storeDatabase.db, webhooks);
  router.registerMethodNotAllowed();
}
