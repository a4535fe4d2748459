import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { mayHoldToken } from "../tokens";
import { DATABASE_RETRY_AFTER_SECONDS } from "../db/database-unavailable";
import type { TopologyStore } from "../topology-store";
import type { AuthFailureThrottle } from "./auth-failure-throttle";

/** How long `GET /readyz` waits for the database before it answers 503. */
export const READINESS_TIMEOUT_MS = 2_000;

/** How often, at most, the log says that connections over the limit were refused. */
const REFUSED_LOG_INTERVAL_MS = 60_000;

// A caller's X-Request-Id is kept only when it is short and plain, so that it can neither flood
// nor forge log lines; anything else gets a new id (RFC 9110 leaves the header undefined; this is
// the common practice of proxies such as nginx's $request_id).
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The id of a request, in every log line of it (pino's `reqId`) and in the `X-Request-Id`
 * answer header: the caller's `X-Request-Id` when it is 1 to 128 plain characters and holds
 * nothing that may be a token, else a new UUID (unique across several store processes, unlike
 * fastify's default counter).
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers["x-request-id"];
  // A value that holds a token anywhere (a client's mistake) is neither echoed nor logged.
  const usable = typeof given === "string" && REQUEST_ID.test(given) && !mayHoldToken(given);
  return usable ? given : randomUUID();
}

/**
 * Registers the routes an operator's tooling calls, beside the API:
 * - `GET /readyz`: 200 `{"status":"ready"}` when the database answers within
 *   {@link READINESS_TIMEOUT_MS}, else 503 `{"status":"unavailable"}`; no token, like `/healthz`
 *   (a load balancer asks it).
 * - `GET /metrics`: Prometheus text of request counts and latencies by method, route pattern
 *   (never the raw URL, which would hold provider names and grow without bound) and status,
 *   and the process's own metrics. It needs a token (any role): the figures tell an outsider
 *   which routes are used and how the store is doing, so a read token is the safer default;
 *   Prometheus sends one with `authorization: {credentials_file: ...}` in its scrape config.
 *   Beside them: `imfed_auth_failures_total` (failed authentications, `throttled` or not) and
 *   `imfed_connections_refused_total` (connections over the limit, closed at once).
 * It also echoes each request's id in `X-Request-Id`, and logs refused connections (at most one
 * line a minute, with their count).
 */
export function registerOperability(
  app: FastifyInstance,
  store: TopologyStore,
  authFailures: AuthFailureThrottle,
): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status_code"] as const;
  const requests = new Counter({
    name: "imfed_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status code",
    labelNames,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "imfed_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method, route pattern and status code",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const failures = new Counter({
    name: "imfed_auth_failures_total",
    help: "Requests whose token was unknown or revoked (API and Control Panel sign-in), by whether the address was over its budget (429)",
    labelNames: ["throttled"] as const,
    registers: [registry],
  });
  authFailures.onFailure((throttled) => failures.inc({ throttled: String(throttled) }));

  const refused = new Counter({
    name: "imfed_connections_refused_total",
    help: "Connections closed at once because the store held its limit of connections (--max-connections)",
    registers: [registry],
  });
  let refusedSinceLog = 0;
  let lastRefusedLog = 0;
  // Node closes a connection over server.maxConnections itself and reports it as "drop".
  app.server.on("drop", () => {
    refused.inc();
    refusedSinceLog += 1;
    const now = Date.now();
    if (now - lastRefusedLog < REFUSED_LOG_INTERVAL_MS) return;
    app.log.warn(
      { refused: refusedSinceLog, maxConnections: app.server.maxConnections },
      "connections refused: the store holds its limit of connections (--max-connections)",
    );
    refusedSinceLog = 0;
    lastRefusedLog = now;
  });

  // Callback hooks: every request runs them, and they wait for nothing.
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header("x-request-id", request.id);
    done(null, payload);
  });

  app.addHook("onResponse", (request, reply, done) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  app.get("/readyz", { config: { access: "public" } }, async (request, reply) => {
    const problem = await databaseProblem(store);
    if (problem === undefined) return { status: "ready" };
    request.log.warn({ problem }, "not ready: the database does not answer");
    return reply
      .code(503)
      .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
      .send({ status: "unavailable" });
  });

  app.get("/metrics", { config: { access: "read" } }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}

// Why the database cannot serve, or undefined when a trivial query answers in time.
async function databaseProblem(store: TopologyStore): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer in ${READINESS_TIMEOUT_MS} ms`), READINESS_TIMEOUT_MS);
  });
  const probe = sql`select 1`.execute(store.storeDatabase.db).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
