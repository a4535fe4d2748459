import type { Kysely } from "kysely";
import type { StoreTables } from "../db/schema";
import { SubscriptionRegistry } from "../events/subscription-registry";
import type { WebhookPolicy } from "../events/webhook-url";
import type { ApiRouter } from "./api-router";
import { NO_QUERY, queryOf } from "./query-of";
import { writeContextOf } from "./request-context";

/**
 * Registers the change-event subscription routes, administrators only: `POST /v1/subscriptions`
 * (the only answer that shows a subscription's secret), `GET /v1/subscriptions`,
 * `GET` and `DELETE /v1/subscriptions/{id}`, and `POST /v1/subscriptions/{id}/resume`.
 */
export function registerSubscriptionRoutes(
  router: ApiRouter,
  db: Kysely<StoreTables>,
  policy: WebhookPolicy,
): void {
  const subscriptions = new SubscriptionRegistry(db, policy);
  router.route(
    "POST",
    "/v1/subscriptions",
    { access: "admin", bodyTypes: ["application/json"] },
    async (request, reply) => {
      queryOf(request, NO_QUERY);
      return reply.code(201).send(await subscriptions.create(request.body, writeContextOf(request)));
    },
  );

  router.route("GET", "/v1/subscriptions", { access: "admin" }, async (request) => {
    queryOf(request, NO_QUERY);
    return { items: await subscriptions.list() };
  });

  router.route("GET", "/v1/subscriptions/:id", { access: "admin" }, async (request) => {
    queryOf(request, NO_QUERY);
    return subscriptions.get((request.params as { readonly id: string }).id);
  });

  router.route("DELETE", "/v1/subscriptions/:id", { access: "admin" }, async (request, reply) => {
    queryOf(request, NO_QUERY);
    await subscriptions.remove((request.params as { readonly id: string }).id, writeContextOf(request));
    return reply.code(204).send();
  });

  router.route("POST", "/v1/subscriptions/:id/resume", { access: "admin" }, async (request) => {
    queryOf(request, NO_QUERY);
    return subscriptions.resume((request.params as { readonly id: string }).id, writeContextOf(request));
  });
}
