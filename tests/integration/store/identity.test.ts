import { spawnSync } from "node:child_process";
import type { ApiResponse } from "../../helpers/api";
import { api, errorCode, errorPaths, providerPath } from "../../helpers/api";
import { BACKENDS, startBackendStore } from "../../helpers/backend";
import type { StoreProcess } from "../../helpers/store-process";
import { IMFED_BIN } from "../../helpers/store-process";

/**
 * Who and what the store's names and audit entries stand for, on each backend: names fold
 * case in ASCII only (docs/architecture.md: names are ASCII), so no other character names a stored
 * provider or token; token names cannot pose as the store's own actor; and an API client
 * cannot pass its writes off as the Control Panel's.
 */

// Characters that Unicode case mapping takes to or from ASCII letters, each in a name that
// stands for an ASCII one: KELVIN SIGN lower-cases to "k", U+0130 to "i" and a combining dot,
// U+0131 and U+017F upper-case to "I" and "S", and U+FB01 to "FI".
const LOOKALIKES: readonly (readonly [string, string])[] = [
  ["\u212Aik", "Kik"],
  ["\u0130nfo", "Info"],
  ["\u0131nfo", "Info"],
  ["\u017Fip", "Sip"],
  ["\uFB01rm", "Firm"],
];

describe.each(BACKENDS)("on %s", (backend) => {
  let store: StoreProcess;
  const admin = (method: string, path: string, options: Parameters<typeof api>[3] = {}) =>
    api(store, method, path, { token: store.adminToken, ...options });
  const lastSeq = async (): Promise<number> => {
    let after = 0;
    for (;;) {
      const page = await admin("GET", `/v1/audit?after=${after}&limit=1000`);
      if (page.body.items.length === 0) return after;
      after = page.body.next;
    }
  };
  const expectError = (response: ApiResponse, status: number, code: string) =>
    expect({ status: response.status, code: errorCode(response) }).toEqual({ status, code });

  beforeAll(async () => {
    store = await startBackendStore({ backend });
    for (const name of new Set(LOOKALIKES.map(([, ascii]) => ascii))) {
      const created = await admin("PUT", providerPath(name), {
        body: { name, kind: "public", proxyFqdn: `sip.${name.toLowerCase()}.example`, enabled: true },
      });
      expect(created.status).toBe(201);
    }
  });

  afterAll(async () => {
    await store?.stop();
  });

  describe("a provider name with a character that Unicode folds onto an ASCII letter", () => {
    it.each(LOOKALIKES)(
      "names nothing: %s is not %s for GET, PATCH, DELETE, PUT and evaluate",
      async (lookalike, ascii) => {
        const before = (await admin("GET", providerPath(ascii))).body;
        const mark = await lastSeq();
        expectError(await admin("GET", providerPath(lookalike)), 404, "not_found");
        expectError(
          await admin("PATCH", providerPath(lookalike), { body: { enabled: false } }),
          404,
          "not_found",
        );
        expectError(await admin("DELETE", providerPath(lookalike)), 404, "not_found");
        const decision = await admin("POST", "/v1/evaluate", {
          body: { provider: lookalike, assertion: "verified", request: "im" },
        });
        // Not a valid provider name at all (names are ASCII), so no decision is made for it.
        expectError(decision, 400, "validation_failed");
        // A PUT would create, and the name is not a valid one: refused, and the ASCII one untouched.
        const put = await admin("PUT", providerPath(lookalike), { body: { ...before, name: ascii } });
        expectError(put, 400, "validation_failed");
        expect((await admin("GET", providerPath(ascii))).body).toEqual(before);
        expect(await lastSeq()).toBe(mark);
      },
    );

    it("still addresses the provider by its ASCII name in any ASCII case", async () => {
      const patched = await admin("PATCH", providerPath("KIK"), { body: { enabled: false } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: "Kik", enabled: false });
    });
  });

  describe("a token name with a character that Unicode folds onto an ASCII letter", () => {
    it("names nothing: DELETE /v1/tokens/%E2%84%AAiosk leaves kiosk working", async () => {
      const kiosk = await admin("POST", "/v1/tokens", {
        body: { name: "kiosk", role: "CsViewOnlyAdministrator" },
      });
      expect(kiosk.status).toBe(201);
      const mark = await lastSeq();
      for (const lookalike of ["\u212Aiosk", "k\u0130osk", "k\u0131osk", "\u212AIOSK"]) {
        expectError(await admin("DELETE", `/v1/tokens/${encodeURIComponent(lookalike)}`), 404, "not_found");
      }
      const created = await admin("POST", "/v1/tokens", {
        body: { name: "\u212Aiosk", role: "CsAdministrator" },
      });
      expectError(created, 400, "validation_failed");
      expect((await api(store, "GET", "/v1/providers", { token: kiosk.body.token })).status).toBe(200);
      expect(await lastSeq()).toBe(mark);
      expect((await admin("DELETE", "/v1/tokens/KIOSK")).status).toBe(204);
    });
  });

  describe("attribution", () => {
    it.each([
      "system",
      "System",
      "SYSTEM",
      "imfed",
      "control-panel",
      "Pulumi",
      "cli",
      "api",
      "anonymous",
      "unknown",
    ])("refuses a token named %s, reserved for the store's own actors and channels", async (name) => {
      const mark = await lastSeq();
      const refused = await admin("POST", "/v1/tokens", { body: { name, role: "CsAdministrator" } });
      expectError(refused, 400, "validation_failed");
      expect(errorPaths(refused)).toEqual(["name"]);
      expect(refused.body.error.message).toContain("reserved");
      expect(await lastSeq()).toBe(mark);
    });

    it("still takes names that only contain a reserved one", async () => {
      const created = await admin("POST", "/v1/tokens", {
        body: { name: "system-ops", role: "CsAdministrator" },
      });
      expect(created.status).toBe(201);
    });

    it("refuses X-Imfed-Client: control-panel from an API client with 400, and writes nothing", async () => {
      const before = (await admin("GET", providerPath("Info"))).body;
      const mark = await lastSeq();
      for (const [method, path, body] of [
        ["PATCH", providerPath("Info"), { enabled: false }],
        ["PATCH", "/v1/federation", { enabled: true }],
        ["POST", "/v1/tokens", { name: "posing", role: "CsAdministrator" }],
      ] as const) {
        const refused = await admin(method, path, { body, headers: { "x-imfed-client": "control-panel" } });
        expectError(refused, 400, "bad_request");
        expect(refused.body.error.message).toContain("only for the Control Panel's own writes");
      }
      expect((await admin("GET", providerPath("Info"))).body).toEqual(before);
      expect(await lastSeq()).toBe(mark);
    });

    it("records an API client's X-Imfed-Client as its claim, under the token's name", async () => {
      const mark = await lastSeq();
      for (const client of ["pulumi", "cli", "api"]) {
        const written = await admin("PATCH", providerPath("Sip"), {
          body: { enabled: client === "cli" },
          headers: { "x-imfed-client": client },
        });
        expect(written.body.updatedVia).toBe(client);
      }
      const page = await admin("GET", `/v1/audit?after=${mark}`);
      expect(
        page.body.items.map((entry: { actor: string; via: string }) => [entry.actor, entry.via]),
      ).toEqual([
        ["admin", "pulumi"],
        ["admin", "cli"],
        ["admin", "api"],
      ]);
    });

    it("refuses imfed token create --db with a reserved name, with exit code 2", () => {
      const result = spawnSync(
        process.execPath,
        [IMFED_BIN, "token", "create", "SYSTEM", "--role", "CsAdministrator", "--db", store.db],
        {
          encoding: "utf8",
          env: { ...process.env, IMFED_DB: "" },
        },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('"SYSTEM" is reserved');
      expect(result.stdout).toBe("");
    });
  });
});
