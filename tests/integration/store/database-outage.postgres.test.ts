import type { ApiOptions } from "../../helpers/api";
import { api, errorCode, providerPath } from "../../helpers/api";
import type { PostgresServer } from "../../helpers/postgres";
import { startPostgres } from "../../helpers/postgres";
import type { StoreProcess } from "../../helpers/store-process";
import { makeToken, startStore } from "../../helpers/store-process";

/**
 * A PostgreSQL outage under a running store (docs/architecture.md: "While the database cannot be reached,
 * every request that needs it answers 503 `unavailable` with `Retry-After`, never 500"). The
 * test stops the store's own PostgreSQL server (fast shutdown, which ends the store's
 * connections), checks every kind of API request, starts the server again on the same port and
 * data, and sees the store recover without a restart.
 */

let server: PostgresServer;
let store: StoreProcess;

beforeAll(async () => {
  server = await startPostgres();
  store = await startStore({ db: await server.createDatabase("outage") });
});

afterAll(async () => {
  await store?.stop();
  await server?.stop();
});

// Every route that needs the database, with a body where it takes one.
const CALLS: readonly [string, string, unknown?][] = [
  ["GET", "/v1/providers"],
  ["GET", providerPath("Outage IM")],
  ["PUT", providerPath("Outage Two"), { kind: "public", proxyFqdn: "sip.outage-two.example", enabled: true }],
  ["PATCH", providerPath("Outage IM"), { enabled: false }],
  ["DELETE", providerPath("Outage IM")],
  ["GET", "/v1/federation"],
  ["PATCH", "/v1/federation", { enabled: true }],
  ["POST", "/v1/evaluate", { provider: "Outage IM", assertion: "verified", request: "im" }],
  ["GET", "/v1/audit"],
  ["GET", "/v1/tokens"],
  ["POST", "/v1/tokens", { name: "during-outage", role: "CsViewOnlyAdministrator" }],
  ["DELETE", "/v1/tokens/nobody"],
  ["GET", "/v1/openapi.json"],
  ["GET", "/metrics"],
  ["GET", "/v1/nothing-here"],
  ["GET", "/v1/providers/%ZZ"],
];

function call(method: string, path: string, body: unknown, token = store.adminToken) {
  const options: ApiOptions = { token, ...(body === undefined ? {} : { body }) };
  return api(store, method, path, options);
}

it("answers 503 unavailable with Retry-After while PostgreSQL is down, never 500, and recovers when it is back", async () => {
  const created = await call("PUT", providerPath("Outage IM"), {
    kind: "hosted",
    proxyFqdn: "edge.outage.example",
    enabled: true,
  });
  expect(created.status).toBe(201);

  await server.pause();

  const answers: string[] = [];
  for (const [method, path, body] of CALLS) {
    for (const token of [store.adminToken, makeToken()]) {
      const answer = await call(method, path, body, token);
      answers.push(`${method} ${path} -> ${answer.status} ${errorCode(answer)}`);
      expect({ call: `${method} ${path}`, status: answer.status, code: errorCode(answer) }).toEqual({
        call: `${method} ${path}`,
        status: 503,
        code: "unavailable",
      });
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(answer.body.error.message).toContain("database cannot be reached");
    }
  }
  const ready = await api(store, "GET", "/readyz");
  expect(ready.status).toBe(503);
  expect(Number(ready.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  // The process is alive and answers what needs no database.
  expect((await api(store, "GET", "/healthz")).status).toBe(200);
  expect(store.child.exitCode).toBeNull();

  await server.resume();

  // The store reconnects on its own: within a generous deadline, reads and writes work again.
  const deadline = Date.now() + 60_000;
  let status = 0;
  while (status !== 200 && Date.now() < deadline) {
    status = (await call("GET", "/v1/providers", undefined)).status;
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(status).toBe(200);
  expect((await api(store, "GET", "/readyz")).status).toBe(200);
  const kept = await call("GET", providerPath("Outage IM"), undefined);
  expect(kept.status).toBe(200);
  expect(kept.body.enabled).toBe(true);
  expect((await call("PATCH", providerPath("Outage IM"), { enabled: false })).status).toBe(200);

  // Nothing answered 500, and the log holds neither the password nor a token.
  expect(store.output()).not.toContain('"statusCode":500');
  expect(store.output()).not.toContain(decodeURIComponent(new URL(store.db).password));
  expect(store.output()).not.toContain(store.adminToken);
  expect(answers.length).toBe(CALLS.length * 2);
});
