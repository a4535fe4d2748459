import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ApiOptions, ApiResponse } from "../../helpers/api";
import { api } from "../../helpers/api";
import { BACKENDS, describeIfPostgres, sharedPostgres, startBackendStore } from "../../helpers/backend";
import type { StoreProcess } from "../../helpers/store-process";
import { IMFED_BIN, makeToken } from "../../helpers/store-process";
import { openDatabaseProbe, readAuditSince, report } from "./reliability-helpers";

/**
 * Secrets (issue 6): a token never appears in a log line (at the most verbose level), an audit
 * entry, an error body, any header, or a response other than the one that created it; nor in
 * the database, which keeps only its SHA-256. Each token is sent as a credential in every way a
 * client sends one, right or wrong, to every route, on each backend.
 */

interface Exchange {
  readonly what: string;
  readonly response: ApiResponse;
}

// Every route, with a body where it takes one.
const CALLS: readonly [string, string, unknown?][] = [
  ["GET", "/healthz"],
  ["GET", "/readyz"],
  ["GET", "/metrics"],
  ["GET", "/v1/openapi.json"],
  ["GET", "/v1/providers"],
  ["GET", "/v1/providers/MSN"],
  [
    "PUT",
    "/v1/providers/Secret%20Test",
    { kind: "public", proxyFqdn: "secret-test.example.com", enabled: true },
  ],
  ["PATCH", "/v1/providers/Secret%20Test", { enabled: false }],
  ["PATCH", "/v1/providers/Nowhere", { enabled: false }],
  ["PUT", "/v1/providers/Bad", { kind: "public", proxyFqdn: "not a host", enabled: "yes" }],
  ["DELETE", "/v1/providers/Secret%20Test"],
  ["GET", "/v1/federation"],
  ["PATCH", "/v1/federation", { partnerDiscovery: true }],
  ["POST", "/v1/evaluate", { provider: "MSN", assertion: "verified", request: "im" }],
  ["GET", "/v1/audit?limit=1000"],
  ["GET", "/v1/audit?limit=0"],
  ["GET", "/v1/tokens"],
  ["POST", "/v1/tokens", { name: "admin", role: "CsAdministrator" }],
  ["DELETE", "/v1/tokens/nobody"],
  ["POST", "/v1/providers"],
  ["GET", "/v1/nothing"],
];

describe.each(BACKENDS)("tokens on %s", (backend) => {
  let store: StoreProcess;

  beforeAll(async () => {
    store = await startBackendStore({ backend, env: { IMFED_LOG_LEVEL: "trace" } });
  });

  afterAll(async () => {
    await store?.stop();
  });

  it("never leave the response that created them", async () => {
    const exchanges: Exchange[] = [];
    const call = async (what: string, method: string, url: string, options: ApiOptions) => {
      const response = await api(store, method, url, options);
      exchanges.push({ what, response });
      return response;
    };
    const admin = store.adminToken;
    const created = async (name: string, role: string) => {
      const response = await call(`create ${name}`, "POST", "/v1/tokens", {
        token: admin,
        body: { name, role },
      });
      expect(response.status).toBe(201);
      return response.body.token as string;
    };
    const viewer = await created("viewer", "CsViewOnlyAdministrator");
    const writer = await created("writer", "CsAdministrator");
    const revoked = await created("revoked", "CsAdministrator");
    expect((await call("revoke", "DELETE", "/v1/tokens/revoked", { token: admin })).status).toBe(204);
    const unknown = makeToken();
    const secrets = { admin, viewer, writer, revoked, unknown };

    // Each secret as a credential, in the right form and in wrong ones.
    const presentations = (secret: string): Record<string, Record<string, string>> => ({
      bearer: { authorization: `Bearer ${secret}` },
      "lower-case scheme": { authorization: `bearer ${secret}` },
      "two tokens": { authorization: `Bearer ${secret} ${secret}` },
      "basic scheme": { authorization: `Basic ${Buffer.from(`x:${secret}`).toString("base64")}` },
      "bare token": { authorization: secret },
      "as the request id": { authorization: `Bearer ${secret}`, "x-request-id": secret },
    });
    for (const [holder, secret] of Object.entries(secrets)) {
      for (const [form, headers] of Object.entries(presentations(secret))) {
        for (const [method, url, body] of CALLS) {
          await call(`${holder} ${form} ${method} ${url}`, method, url, {
            headers,
            ...(body === undefined ? {} : { body }),
          });
        }
        // Transport errors too: a wrong media type and a body over the limit.
        await call(`${holder} ${form} 415`, "PUT", "/v1/federation", {
          headers,
          rawBody: "x",
          contentType: "text/plain",
        });
        await call(`${holder} ${form} 413`, "PUT", "/v1/federation", {
          headers,
          rawBody: " ".repeat(70_000),
        });
      }
    }

    const leaks: string[] = [];
    for (const [holder, secret] of Object.entries(secrets)) {
      for (const { what, response } of exchanges) {
        const headers = JSON.stringify([...response.headers.entries()]);
        const isCreation = what === `create ${holder}`;
        if (headers.includes(secret)) leaks.push(`${holder}'s token in the headers of ${what}`);
        if (response.text.includes(secret) && !isCreation)
          leaks.push(`${holder}'s token in the answer to ${what}`);
      }
      if (store.output().includes(secret)) leaks.push(`${holder}'s token in the log`);
    }
    const audit = JSON.stringify(await readAuditSince(store, admin, 0));
    const probe = await openDatabaseProbe(store.db);
    const database = (await probe.read()).state;
    await probe.close();
    for (const [holder, secret] of Object.entries(secrets)) {
      if (audit.includes(secret)) leaks.push(`${holder}'s token in the audit log`);
      if (database.includes(secret)) leaks.push(`${holder}'s token in the database`);
    }
    // The database password of a postgres:// URL is a secret too: the store prints the URL without it.
    if (backend === "postgres") {
      const password = decodeURIComponent(new URL(store.db).password);
      expect(password.length).toBeGreaterThan(8);
      if (store.output().includes(password)) leaks.push("the database password in the log");
      expect(store.output()).toContain(":***@127.0.0.1:");
    }
    expect(leaks).toEqual([]);

    // The test saw what it looks for: the creation answers hold the secrets, every request is logged.
    expect(exchanges.find((e) => e.what === "create writer")?.response.text).toContain(writer);
    expect(store.output().split('"msg":"request completed"').length - 1).toBeGreaterThanOrEqual(
      exchanges.length,
    );
    report(`secrets, ${backend}`, {
      exchanges: exchanges.length,
      logLines: store.output().split("\n").length,
      auditEntries: JSON.parse(audit).length,
    });
  });
});

describeIfPostgres("the bootstrap token of a PostgreSQL store", () => {
  it("is written to .imfed/admin-token in the working directory, mode 0600, and shown only once", async () => {
    const db = await (await sharedPostgres()).createDatabase("bootstrap");
    const cwd = mkdtempSync(path.join(tmpdir(), "imfed-bootstrap-"));
    try {
      const child = spawn(
        process.execPath,
        [IMFED_BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--db", db],
        {
          cwd,
          env: { ...process.env, IMFED_ADMIN_TOKEN: "", IMFED_LOG_LEVEL: "trace" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        const deadline = Date.now() + 30_000;
        while (
          !/listening on (http:\/\/\S+)/.test(output) &&
          Date.now() < deadline &&
          child.exitCode === null
        ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const url = /listening on (http:\/\/\S+)/.exec(output)?.[1]?.replace(/\/$/, "");
        expect(url).toBeDefined();
        const file = path.join(cwd, ".imfed", "admin-token");
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
        const token = readFileSync(file, "utf8").trim();
        expect(token).toMatch(/^imfed_[A-Za-z0-9_-]{43}$/);
        expect((await api({ url: url as string }, "GET", "/v1/tokens", { token })).status).toBe(200);
        expect((await api({ url: url as string }, "GET", "/v1/nothing", { token })).status).toBe(404);
        // Printed once, in the start-up note; no log line holds it.
        expect(output.split(token).length - 1).toBe(1);
        const logLines = output.split("\n").filter((line) => line.startsWith("{"));
        expect(logLines.length).toBeGreaterThan(2);
        expect(logLines.filter((line) => line.includes(token))).toEqual([]);
      } finally {
        child.kill("SIGTERM");
        await exited;
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
