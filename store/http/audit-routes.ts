import { z } from "zod";
import type { TopologyStore } from "../topology-store";
import type { ApiRouter } from "./api-router";
import { queryOf } from "./query-of";

const counter = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, { error: "must be a whole number" })
  .transform(Number);
const auditQuery = z.strictObject({
  after: counter.optional(),
  limit: counter
    .pipe(z.number().min(1, { error: "must be 1 to 1000" }).max(1000, { error: "must be 1 to 1000" }))
    .optional(),
});

/** Registers `GET /v1/audit?after=<seq>&limit=<n>`: a page of the audit log, oldest first; any token. */
export function registerAuditRoutes(router: ApiRouter, store: TopologyStore): void {
  router.route("GET", "/v1/audit", { access: "read" }, async (request) => {
    const { after, limit } = queryOf(request, auditQuery);
    return store.listAudit({ after: after ?? 0, limit: limit ?? 100 });
  });
}
