import { api, providerPath } from "../../helpers/api";
import { BACKENDS, describeIfPostgres, startBackendStore } from "../../helpers/backend";
import { startPostgres } from "../../helpers/postgres";
import type { StoreProcess } from "../../helpers/store-process";
import { makeToken, startStore } from "../../helpers/store-process";

/**
 * Operability (issue 6): `GET /readyz` tells whether the database answers, every log line of a
 * request carries its id (the caller's `X-Request-Id` when it is plain, echoed back), and
 * `GET /metrics` gives Prometheus request counts and latencies by route pattern and status to
 * any valid token.
 */

describe.each(BACKENDS)("operability on %s", (backend) => {
  let store: StoreProcess;
  let viewer = "";

  beforeAll(async () => {
    store = await startBackendStore({ backend });
    const created = await api(store, "POST", "/v1/tokens", {
      token: store.adminToken,
      body: { name: "prometheus", role: "CsViewOnlyAdministrator" },
    });
    viewer = created.body.token;
  });

  afterAll(async () => {
    await store?.stop();
  });

  it("answers GET /readyz with 200 ready, without a token", async () => {
    const response = await api(store, "GET", "/readyz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ready" });
  });

  it("serves /metrics to any valid token and to nobody else", async () => {
    expect((await api(store, "GET", "/metrics")).status).toBe(401);
    expect((await api(store, "GET", "/metrics", { token: makeToken() })).status).toBe(401);
    const response = await api(store, "GET", "/metrics", { token: viewer });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("counts requests and their latencies by route pattern and status, never by raw URL", async () => {
    const names = ["Metrics One", "metrics-two", "Metrics.Three"];
    for (const name of names) await api(store, "GET", providerPath(name), { token: viewer });
    await api(store, "GET", providerPath("MSN"), { token: viewer });
    const text = (await api(store, "GET", "/metrics", { token: viewer })).text;
    const notFound =
      /imfed_http_requests_total\{method="GET",route="\/v1\/providers\/:name",status_code="404"\} (\d+)/.exec(
        text,
      );
    expect(Number(notFound?.[1])).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(
      /imfed_http_requests_total\{method="GET",route="\/v1\/providers\/:name",status_code="200"\} \d+/,
    );
    expect(text).toMatch(
      /imfed_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/v1\/providers\/:name",status_code="200"\} \d+/,
    );
    expect(text).toMatch(
      /imfed_http_request_duration_seconds_count\{method="GET",route="\/metrics",status_code="401"\} \d+/,
    );
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    for (const name of [...names, "MSN"]) expect(text).not.toContain(name);
    // An unknown path is counted under one label, so scanners cannot grow the label set.
    await api(store, "GET", "/v1/no/such/path", { token: viewer });
    await api(store, "GET", "/favicon-nope.ico");
    expect((await api(store, "GET", "/metrics", { token: viewer })).text).toMatch(
      /route="unmatched",status_code="404"/,
    );
  });

  it("puts the request id in every log line of a request and echoes it", async () => {
    const given = "trace-4f2a.9:b";
    const response = await api(store, "PATCH", providerPath("Nowhere"), {
      token: store.adminToken,
      body: { enabled: false },
      headers: { "x-request-id": given },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toBe(given);
    // The log line of the answer may reach the pipe just after the answer: wait for it (a
    // generous bound, in case the machine is busy).
    const deadline = Date.now() + 30_000;
    while (!store.output().includes(`"reqId":"${given}","res"`) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = store
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { reqId?: string; req?: unknown; res?: unknown; msg: string });
    expect(lines.filter((line) => line.reqId === given).map((line) => line.msg)).toEqual([
      "incoming request",
      "request completed",
    ]);
    // Every line about a request has an id.
    const requestLines = lines.filter((line) => line.req !== undefined || line.res !== undefined);
    expect(requestLines.length).toBeGreaterThan(10);
    expect(requestLines.filter((line) => typeof line.reqId !== "string" || line.reqId === "")).toEqual([]);
  });

  it("replaces a request id that is long, unusual or looks like a token with a new UUID", async () => {
    for (const given of ["x".repeat(129), "a b", "<script>", makeToken()]) {
      const response = await api(store, "GET", "/healthz", { headers: { "x-request-id": given } });
      const id = response.headers.get("x-request-id");
      expect(id).not.toBe(given);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    // Without one, ids are unique UUIDs (not a per-process counter that two processes share).
    const ids = new Set<string | null>();
    for (let i = 0; i < 20; i += 1)
      ids.add((await api(store, "GET", "/healthz")).headers.get("x-request-id"));
    expect(ids.size).toBe(20);
  });
});

describeIfPostgres("GET /readyz when PostgreSQL is gone", () => {
  it("answers 503 while /healthz still answers 200", async () => {
    const server = await startPostgres();
    let store: StoreProcess | undefined;
    try {
      store = await startStore({ db: await server.createDatabase("readyz") });
      expect((await api(store, "GET", "/readyz")).status).toBe(200);
      await server.stop();
      // It answers (a hung probe would end the test by its timeout), and says unavailable.
      const response = await api(store, "GET", "/readyz");
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: "unavailable" });
      expect((await api(store, "GET", "/healthz")).status).toBe(200);
      // The process survived the lost connections and still answers.
      expect(store.child.exitCode).toBeNull();
      expect((await api(store, "GET", "/readyz")).status).toBe(503);
    } finally {
      await store?.stop();
      await server.stop();
    }
  });
});
