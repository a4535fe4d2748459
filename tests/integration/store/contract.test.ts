import type { ApiOptions, ApiResponse } from "../../helpers/api";
import { api, errorCode, errorPaths, providerPath } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { startBackendStore } from "../../helpers/backend";
import { makeToken } from "../../helpers/store-process";

/**
 * The HTTP API v1 contract (docs/api.md) against a real
 * `imfed serve` process on a loopback port with a temporary SQLite file. One store serves the
 * whole file; tests run in order and use names of their own, so the few that look at the
 * audit log measure it from a mark taken just before their write.
 */

let store: StoreProcess;
/** Every secret this file sends or receives, checked against the process output at the end. */
const secrets: string[] = [];

beforeAll(async () => {
  store = await startBackendStore();
  secrets.push(store.adminToken);
});

afterAll(async () => {
  await store?.stop();
});

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const HOSTED_ONLY = ["enabledSharedAddressSpace", "hostsOcsUsers", "isLocal", "autodiscoverUrl"];

function admin(method: string, path: string, options: ApiOptions = {}): Promise<ApiResponse> {
  return api(store, method, path, { token: store.adminToken, ...options });
}

function putProvider(name: string, body: Record<string, unknown>, options: ApiOptions = {}) {
  return admin("PUT", providerPath(name), { body, ...options });
}

function patchProvider(name: string, body: unknown, options: ApiOptions = {}) {
  return admin("PATCH", providerPath(name), { body, ...options });
}

function getProvider(name: string, options: ApiOptions = {}) {
  return admin("GET", providerPath(name), options);
}

const publicBody = (name: string, proxyFqdn: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: "public",
  proxyFqdn,
  enabled: true,
  ...extra,
});
const hostedBody = (name: string, proxyFqdn: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: "hosted",
  proxyFqdn,
  enabled: true,
  ...extra,
});

/** Reads the audit log to its end and returns the `next` to read after. */
async function auditMark(): Promise<number> {
  let after = 0;
  for (;;) {
    const page = await admin("GET", `/v1/audit?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    if (page.body.items.length === 0) return after;
    after = page.body.next;
  }
}

/** An audit entry as the wire carries it (untyped: the test checks the wire format). */
type WireAuditEntry = ApiResponse["body"];

/** The audit entries written after `mark`. */
async function auditSince(mark: number): Promise<WireAuditEntry[]> {
  const entries: WireAuditEntry[] = [];
  let after = mark;
  for (;;) {
    const page = await admin("GET", `/v1/audit?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    if (page.body.items.length === 0) return entries;
    entries.push(...page.body.items);
    after = page.body.next;
  }
}

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: errorCode(response) }).toEqual({ status, code });
  expect(typeof response.body.error.message).toBe("string");
  expect(response.body.error.message.length).toBeGreaterThan(0);
}

function expectEtag(response: ApiResponse): void {
  expect(response.headers.get("etag")).toBe(`"${response.body.revision}"`);
}

describe("a new store", () => {
  it("has no audit entry for the seeded providers and federation settings", async () => {
    // docs/api.md: the objects of a new store carry updatedBy "system", updatedVia "api" and have
    // no audit entry. The bootstrap token may be recorded (it is a token, not a seeded object).
    const page = await admin("GET", "/v1/audit?limit=1000");
    expect(page.status).toBe(200);
    const targets = page.body.items.map((entry: { target: string }) => entry.target);
    expect(targets.filter((target: string) => target !== "token/admin")).toEqual([]);
    expect(JSON.stringify(page.body)).not.toContain(store.adminToken);
  });

  it("holds the three built-in public providers, present but not enabled, seeded by the system", async () => {
    const list = await admin("GET", "/v1/providers");
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(["AOL", "MSN", "Yahoo!"]);
    const expected: Record<string, string> = {
      MSN: "federation.messenger.msn.com",
      AOL: "sip.oscar.aol.com",
      "Yahoo!": "sip.yahoo.com",
    };
    for (const provider of list.body.items) {
      expect(provider).toEqual({
        name: provider.name,
        kind: "public",
        proxyFqdn: expected[provider.name],
        enabled: false,
        verificationLevel: "UseSourceVerification",
        builtIn: true,
        revision: expect.any(Number),
        createdAt: expect.stringMatching(ISO_UTC),
        updatedAt: expect.stringMatching(ISO_UTC),
        updatedBy: "system",
        updatedVia: "api",
        updateReason: null,
      });
      for (const field of HOSTED_ONLY) expect(provider).not.toHaveProperty(field);
    }
  });

  it("answers GET of a built-in with the provider and its ETag", async () => {
    const yahoo = await getProvider("Yahoo!");
    expect(yahoo.status).toBe(200);
    expect(yahoo.body).toMatchObject({ name: "Yahoo!", proxyFqdn: "sip.yahoo.com", builtIn: true });
    expectEtag(yahoo);
  });

  it("has the federation defaults: federation off, remote user access on", async () => {
    const federation = await admin("GET", "/v1/federation");
    expect(federation.status).toBe(200);
    expect(federation.body).toEqual({
      enabled: false,
      partnerDiscovery: false,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: false,
      revision: expect.any(Number),
      updatedAt: expect.stringMatching(ISO_UTC),
      updatedBy: "system",
      updatedVia: "api",
      updateReason: null,
    });
    expectEtag(federation);
  });

  it("lists the bootstrap token named admin as a CsAdministrator, without its secret", async () => {
    const tokens = await admin("GET", "/v1/tokens");
    expect(tokens.status).toBe(200);
    expect(tokens.body.items).toEqual([
      { name: "admin", role: "CsAdministrator", createdAt: expect.any(String) },
    ]);
    expect(tokens.text).not.toContain(store.adminToken);
  });
});

describe("health and the API document", () => {
  it("answers GET /healthz without a token", async () => {
    const health = await api(store, "GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
  });

  it("serves an OpenAPI 3 document listing every route", async () => {
    const doc = await admin("GET", "/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(String(doc.body.openapi)).toMatch(/^3\./);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      "/healthz",
      "/v1/providers",
      "/v1/providers/{name}",
      "/v1/federation",
      "/v1/evaluate",
      "/v1/audit",
      "/v1/tokens",
      "/v1/tokens/{name}",
    ]) {
      expect(paths).toContain(path);
    }
    expect(Object.keys(doc.body.paths["/v1/providers/{name}"]).sort()).toEqual(
      expect.arrayContaining(["delete", "get", "patch", "put"]),
    );
  });
});

describe("creating, reading, replacing and deleting providers", () => {
  it("creates a public provider with 201, the whole object and its ETag, proxyFqdn lower-cased", async () => {
    const created = await putProvider("Contoso IM", publicBody("Contoso IM", "SIP.Contoso.COM"));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: "Contoso IM",
      kind: "public",
      proxyFqdn: "sip.contoso.com",
      enabled: true,
      verificationLevel: "UseSourceVerification",
      builtIn: false,
      revision: expect.any(Number),
      createdAt: expect.stringMatching(ISO_UTC),
      updatedAt: expect.stringMatching(ISO_UTC),
      updatedBy: "admin",
      updatedVia: "api",
      updateReason: null,
    });
    expectEtag(created);
    const read = await getProvider("Contoso IM");
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expectEtag(read);
  });

  it("creates a hosted provider with its flags defaulted and autodiscoverUrl null", async () => {
    const created = await putProvider("Fabrikam Hosted", hostedBody("Fabrikam Hosted", "proxy.fabrikam.com"));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "hosted",
      verificationLevel: "UseSourceVerification",
      enabledSharedAddressSpace: false,
      hostsOcsUsers: false,
      isLocal: false,
      autodiscoverUrl: null,
      builtIn: false,
    });
  });

  it("replaces a hosted provider in place with 200 and a higher revision", async () => {
    const before = await getProvider("Fabrikam Hosted");
    const replaced = await putProvider(
      "Fabrikam Hosted",
      hostedBody("Fabrikam Hosted", "proxy.fabrikam.com", {
        enabled: false,
        verificationLevel: "AlwaysUnverifiable",
        enabledSharedAddressSpace: true,
        hostsOcsUsers: true,
        isLocal: true,
        autodiscoverUrl: "https://autodiscover.fabrikam.com/autodiscover/autodiscover.svc",
      }),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      enabled: false,
      verificationLevel: "AlwaysUnverifiable",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: true,
      isLocal: true,
      autodiscoverUrl: "https://autodiscover.fabrikam.com/autodiscover/autodiscover.svc",
      createdAt: before.body.createdAt,
    });
    expect(replaced.body.revision).toBeGreaterThan(before.body.revision);
    expectEtag(replaced);
  });

  it("gives a field left out of a PUT its default", async () => {
    await putProvider(
      "Defaults Co",
      publicBody("Defaults Co", "sip.defaults.example", { verificationLevel: "AlwaysVerifiable" }),
    );
    const replaced = await putProvider("Defaults Co", publicBody("Defaults Co", "sip.defaults.example"));
    expect(replaced.status).toBe(200);
    expect(replaced.body.verificationLevel).toBe("UseSourceVerification");
  });

  it("requires enabled when a provider is created", async () => {
    const response = await putProvider("No Enabled", {
      name: "No Enabled",
      kind: "public",
      proxyFqdn: "sip.noenabled.example",
    });
    expectError(response, 400, "validation_failed");
    expect(errorPaths(response)).toContain("enabled");
  });

  it("refuses a body name that differs from the path's other than in case", async () => {
    const response = await putProvider("Path Name", publicBody("Body Name", "sip.pathname.example"));
    expectError(response, 400, "validation_failed");
    expect(errorPaths(response)).toEqual(["name"]);
    expect((await getProvider("Path Name")).status).toBe(404);
  });

  it("refuses an invalid name in the path with validation_failed at name", async () => {
    const response = await admin("PUT", `/v1/providers/${encodeURIComponent("bad/name")}`, {
      body: { kind: "public", proxyFqdn: "sip.badname.example", enabled: true },
    });
    expectError(response, 400, "validation_failed");
    expect(errorPaths(response)).toContain("name");
  });

  it("deletes a provider with 204, after which it is 404", async () => {
    await putProvider("Short Lived", publicBody("Short Lived", "sip.shortlived.example"));
    const deleted = await admin("DELETE", providerPath("Short Lived"));
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expectError(await getProvider("Short Lived"), 404, "not_found");
    expectError(await admin("DELETE", providerPath("Short Lived")), 404, "not_found");
    expectError(await patchProvider("Short Lived", { enabled: false }), 404, "not_found");
  });

  it("deletes a built-in provider too", async () => {
    expect((await admin("DELETE", providerPath("AOL"))).status).toBe(204);
    expect((await getProvider("AOL")).status).toBe(404);
    const recreated = await putProvider("AOL", publicBody("AOL", "sip.oscar.aol.com", { enabled: false }));
    expect(recreated.status).toBe(201);
  });

  it("takes read-only fields in a body and ignores them: a GET body PUT back changes nothing", async () => {
    for (const name of ["Fabrikam Hosted", "MSN"]) {
      const read = await getProvider(name);
      const mark = await auditMark();
      const putBack = await putProvider(name, read.body);
      expect(putBack.status).toBe(200);
      expect(putBack.body).toEqual(read.body);
      expect(await auditSince(mark)).toEqual([]);
    }
    const read = await getProvider("Contoso IM");
    const forged = await putProvider("Contoso IM", {
      ...read.body,
      enabled: false,
      builtIn: true,
      revision: 999_999,
      createdAt: "2001-01-01T00:00:00Z",
      updatedBy: "mallory",
      updatedVia: "pulumi",
      updateReason: "forged",
    });
    expect(forged.status).toBe(200);
    expect(forged.body).toMatchObject({
      enabled: false,
      builtIn: false,
      createdAt: read.body.createdAt,
      updatedBy: "admin",
      updatedVia: "api",
      updateReason: null,
    });
    expect(forged.body.revision).toBeGreaterThan(read.body.revision);
    expect(forged.body.revision).toBeLessThan(999_999);
  });

  it("refuses unknown fields with validation_failed naming them", async () => {
    const response = await putProvider(
      "Contoso IM",
      publicBody("Contoso IM", "sip.contoso.com", { colour: "blue" }),
    );
    expectError(response, 400, "validation_failed");
    expect(errorPaths(response)).toEqual(["colour"]);
    const patch = await patchProvider("Contoso IM", { colour: "blue" });
    expectError(patch, 400, "validation_failed");
    expect(errorPaths(patch)).toEqual(["colour"]);
  });

  it("lists every validation failure with its path", async () => {
    const response = await putProvider("Many Faults", {
      name: "Many Faults",
      kind: "public",
      proxyFqdn: "not-a-domain",
      enabled: "yes",
      verificationLevel: "Sometimes",
    });
    expectError(response, 400, "validation_failed");
    expect([...new Set(errorPaths(response))].sort()).toEqual(["enabled", "proxyFqdn", "verificationLevel"]);
    for (const detail of response.body.error.details) expect(detail.message.length).toBeGreaterThan(0);
  });
});

describe("hosted-only fields", () => {
  it.each([
    ["enabledSharedAddressSpace", false],
    ["hostsOcsUsers", false],
    ["isLocal", false],
    ["isLocal", true],
    ["autodiscoverUrl", "https://autodiscover.contoso.com/x"],
  ])("refuses %s (%j) on a public provider in PUT and PATCH, with the path", async (field, value) => {
    const put = await putProvider(
      "Contoso IM",
      publicBody("Contoso IM", "sip.contoso.com", { [field]: value }),
    );
    expectError(put, 400, "validation_failed");
    expect(errorPaths(put)).toEqual([field]);
    const created = await putProvider(
      "Public Only",
      publicBody("Public Only", "sip.publiconly.example", { [field]: value }),
    );
    expectError(created, 400, "validation_failed");
    expect(errorPaths(created)).toEqual([field]);
    const patch = await patchProvider("Contoso IM", { [field]: value });
    expectError(patch, 400, "validation_failed");
    expect(errorPaths(patch)).toEqual([field]);
  });

  it("refuses an http autodiscoverUrl on a hosted provider", async () => {
    const patch = await patchProvider("Fabrikam Hosted", {
      autodiscoverUrl: "http://autodiscover.fabrikam.com/x",
    });
    expectError(patch, 400, "validation_failed");
    expect(errorPaths(patch)).toEqual(["autodiscoverUrl"]);
  });
});

describe("PATCH", () => {
  it("blocks a provider with {enabled: false} and keeps the other fields", async () => {
    await putProvider(
      "Block Me",
      publicBody("Block Me", "sip.blockme.example", { verificationLevel: "AlwaysVerifiable" }),
    );
    const blocked = await patchProvider("Block Me", { enabled: false });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({
      name: "Block Me",
      enabled: false,
      verificationLevel: "AlwaysVerifiable",
    });
    expectEtag(blocked);
  });

  it("clears autodiscoverUrl on null", async () => {
    await patchProvider("Fabrikam Hosted", { autodiscoverUrl: "https://autodiscover.fabrikam.com/x" });
    const cleared = await patchProvider("Fabrikam Hosted", { autodiscoverUrl: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.autodiscoverUrl).toBeNull();
    expect((await getProvider("Fabrikam Hosted")).body.autodiscoverUrl).toBeNull();
  });

  it("restores a field's default on null", async () => {
    await patchProvider("Fabrikam Hosted", { verificationLevel: "AlwaysVerifiable", isLocal: true });
    const restored = await patchProvider("Fabrikam Hosted", { verificationLevel: null, isLocal: null });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ verificationLevel: "UseSourceVerification", isLocal: false });
  });

  it("refuses null on enabled with validation_failed at enabled", async () => {
    const response = await patchProvider("Block Me", { enabled: null });
    expectError(response, 400, "validation_failed");
    expect(errorPaths(response)).toEqual(["enabled"]);
  });

  it("takes application/merge-patch+json", async () => {
    const response = await admin("PATCH", providerPath("Block Me"), {
      rawBody: JSON.stringify({ enabled: true }),
      contentType: "application/merge-patch+json",
    });
    expect(response.status).toBe(200);
    expect(response.body.enabled).toBe(true);
  });

  it("takes application/json with a charset", async () => {
    const response = await admin("PATCH", providerPath("Block Me"), {
      rawBody: JSON.stringify({ enabled: false }),
      contentType: "application/json; charset=utf-8",
    });
    expect(response.status).toBe(200);
    expect(response.body.enabled).toBe(false);
  });
});

describe("fields that cannot change", () => {
  it("answers 409 to a change of a public provider's proxyFqdn, by PUT and by PATCH", async () => {
    const put = await putProvider("Contoso IM", publicBody("Contoso IM", "sip2.contoso.com"));
    expectError(put, 409, "conflict");
    const patch = await patchProvider("Contoso IM", { proxyFqdn: "sip2.contoso.com" });
    expectError(patch, 409, "conflict");
    expect((await getProvider("Contoso IM")).body.proxyFqdn).toBe("sip.contoso.com");
  });

  it("takes a proxyFqdn differing only in case as no change", async () => {
    const read = await getProvider("Contoso IM");
    const put = await putProvider("Contoso IM", { ...read.body, proxyFqdn: "SIP.CONTOSO.COM" });
    expect(put.status).toBe(200);
    expect(put.body.revision).toBe(read.body.revision);
  });

  it("answers 409 to a change of a hosted provider's proxyFqdn", async () => {
    const patch = await patchProvider("Fabrikam Hosted", { proxyFqdn: "proxy2.fabrikam.com" });
    expectError(patch, 409, "conflict");
  });

  it("answers 409 to a change of kind, both ways", async () => {
    expectError(
      await putProvider("Contoso IM", hostedBody("Contoso IM", "sip.contoso.com")),
      409,
      "conflict",
    );
    expectError(await patchProvider("Contoso IM", { kind: "hosted" }), 409, "conflict");
    expectError(
      await putProvider("Fabrikam Hosted", publicBody("Fabrikam Hosted", "proxy.fabrikam.com")),
      409,
      "conflict",
    );
    expect((await getProvider("Contoso IM")).body.kind).toBe("public");
    expect((await getProvider("Fabrikam Hosted")).body.kind).toBe("hosted");
  });
});

describe("uniqueness", () => {
  it("addresses a provider by a name differing only in case, which keeps its original spelling", async () => {
    const lower = await getProvider("contoso im");
    expect(lower.status).toBe(200);
    expect(lower.body.name).toBe("Contoso IM");
    const replaced = await putProvider(
      "CONTOSO IM",
      publicBody("contoso Im", "sip.contoso.com", { enabled: true }),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toBe("Contoso IM");
    const patched = await patchProvider("cOnToSo iM", { verificationLevel: "AlwaysUnverifiable" });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe("Contoso IM");
    const names = (await admin("GET", "/v1/providers")).body.items.map((p: { name: string }) => p.name);
    expect(names.filter((name: string) => name.toLowerCase() === "contoso im")).toEqual(["Contoso IM"]);
  });

  it("answers 412 to a create (If-None-Match: *) of a name differing only in case", async () => {
    const response = await putProvider("CONTOSO IM", publicBody("CONTOSO IM", "sip.contoso.com"), {
      headers: { "if-none-match": "*" },
    });
    expectError(response, 412, "precondition_failed");
    expect((await getProvider("Contoso IM")).body.name).toBe("Contoso IM");
  });

  it("answers 409 to a proxyFqdn taken by a provider of the other kind, compared case-insensitively", async () => {
    const hosted = await putProvider("Contoso Twin", hostedBody("Contoso Twin", "Sip.Contoso.Com"));
    expectError(hosted, 409, "conflict");
    expect((await getProvider("Contoso Twin")).status).toBe(404);
    const publicTwin = await putProvider("Fabrikam Twin", publicBody("Fabrikam Twin", "PROXY.FABRIKAM.COM"));
    expectError(publicTwin, 409, "conflict");
  });

  it("answers 409 to a proxyFqdn taken by a provider of the same kind", async () => {
    expectError(
      await putProvider("MSN Clone", publicBody("MSN Clone", "federation.messenger.msn.com")),
      409,
      "conflict",
    );
  });
});

describe("preconditions and revisions", () => {
  it("answers 412 to a stale If-Match and 200 to the current one, on PUT and PATCH", async () => {
    const created = await putProvider("Guarded", publicBody("Guarded", "sip.guarded.example"));
    const first = created.body.revision as number;
    const changed = await patchProvider(
      "Guarded",
      { enabled: false },
      { headers: { "if-match": `"${first}"` } },
    );
    expect(changed.status).toBe(200);
    const second = changed.body.revision as number;
    expect(second).toBeGreaterThan(first);

    const stalePatch = await patchProvider(
      "Guarded",
      { enabled: true },
      { headers: { "if-match": `"${first}"` } },
    );
    expectError(stalePatch, 412, "precondition_failed");
    const stalePut = await putProvider("Guarded", publicBody("Guarded", "sip.guarded.example"), {
      headers: { "if-match": `"${first}"` },
    });
    expectError(stalePut, 412, "precondition_failed");
    expect((await getProvider("Guarded")).body.enabled).toBe(false);

    const currentPut = await putProvider("Guarded", publicBody("Guarded", "sip.guarded.example"), {
      headers: { "if-match": `"${second}"` },
    });
    expect(currentPut.status).toBe(200);
    expect(currentPut.body.enabled).toBe(true);
  });

  it("answers 412 to a stale If-Match on DELETE and 204 to the current one", async () => {
    const read = await getProvider("Guarded");
    const stale = await admin("DELETE", providerPath("Guarded"), {
      headers: { "if-match": `"${read.body.revision - 1}"` },
    });
    expectError(stale, 412, "precondition_failed");
    const current = await admin("DELETE", providerPath("Guarded"), {
      headers: { "if-match": read.headers.get("etag") ?? "" },
    });
    expect(current.status).toBe(204);
  });

  it("answers 412 to a PUT with If-Match of a provider that does not exist", async () => {
    const response = await putProvider("Never There", publicBody("Never There", "sip.neverthere.example"), {
      headers: { "if-match": '"1"' },
    });
    expectError(response, 412, "precondition_failed");
    expect((await getProvider("Never There")).status).toBe(404);
  });

  it("creates with If-None-Match: * (201) and refuses it on an existing provider (412)", async () => {
    const created = await putProvider("Fresh", publicBody("Fresh", "sip.fresh.example"), {
      headers: { "if-none-match": "*" },
    });
    expect(created.status).toBe(201);
    const again = await putProvider("Fresh", publicBody("Fresh", "sip.fresh.example", { enabled: false }), {
      headers: { "if-none-match": "*" },
    });
    expectError(again, 412, "precondition_failed");
    expect((await getProvider("Fresh")).body.enabled).toBe(true);
  });

  it("takes If-Match: * as 'exists'", async () => {
    const existing = await patchProvider("Fresh", { enabled: false }, { headers: { "if-match": "*" } });
    expect(existing.status).toBe(200);
    const missing = await putProvider("Absent", publicBody("Absent", "sip.absent.example"), {
      headers: { "if-match": "*" },
    });
    expectError(missing, 412, "precondition_failed");
  });

  it("answers 304 to a GET whose If-None-Match holds the current ETag", async () => {
    const read = await getProvider("Fresh");
    const etag = read.headers.get("etag") ?? "";
    const notModified = await getProvider("Fresh", { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    const stale = await getProvider("Fresh", { headers: { "if-none-match": `"${read.body.revision - 1}"` } });
    expect(stale.status).toBe(200);
  });

  it("uses store-wide revisions that are never reused, not even by a provider deleted and created again", async () => {
    const a = await putProvider("Rev A", publicBody("Rev A", "sip.reva.example"));
    const b = await putProvider("Rev B", publicBody("Rev B", "sip.revb.example"));
    expect(b.body.revision).toBeGreaterThan(a.body.revision);
    const federation = await admin("PATCH", "/v1/federation", { body: { partnerDiscovery: true } });
    expect(federation.body.revision).toBeGreaterThan(b.body.revision);
    expect((await admin("DELETE", providerPath("Rev A"))).status).toBe(204);
    const again = await putProvider("Rev A", publicBody("Rev A", "sip.reva.example"));
    expect(again.status).toBe(201);
    expect(again.body.revision).toBeGreaterThan(federation.body.revision);
    const everything = (await admin("GET", "/v1/providers")).body.items.map(
      (p: { revision: number }) => p.revision,
    );
    expect(Math.max(...everything)).toBe(again.body.revision);
    await admin("PATCH", "/v1/federation", { body: { partnerDiscovery: null } });
  });
});

describe("concurrent writes", () => {
  it("get distinct revisions and one audit entry each", async () => {
    const mark = await auditMark();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        putProvider(`Parallel ${i}`, publicBody(`Parallel ${i}`, `sip${i}.parallel.example`)),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 20 }, () => 201));
    const revisions = responses.map((response) => response.body.revision as number);
    expect(new Set(revisions).size).toBe(20);
    const entries = await auditSince(mark);
    expect(entries).toHaveLength(20);
    expect(new Set(entries.map((entry) => entry.target)).size).toBe(20);
  });
});

describe("a write that changes nothing", () => {
  it("answers 200 with the object as it is: same revision, same updatedAt, no audit entry", async () => {
    const read = await getProvider("Fabrikam Hosted");
    const mark = await auditMark();
    const patch = await patchProvider(
      "Fabrikam Hosted",
      { enabled: read.body.enabled },
      {
        headers: { "x-imfed-reason": "no-op", "x-imfed-client": "cli" },
      },
    );
    expect(patch.status).toBe(200);
    expect(patch.body).toEqual(read.body);
    expectEtag(patch);
    const put = await putProvider("Fabrikam Hosted", {
      name: "Fabrikam Hosted",
      kind: "hosted",
      proxyFqdn: read.body.proxyFqdn,
      enabled: read.body.enabled,
      verificationLevel: read.body.verificationLevel,
      enabledSharedAddressSpace: read.body.enabledSharedAddressSpace,
      hostsOcsUsers: read.body.hostsOcsUsers,
      isLocal: read.body.isLocal,
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(read.body);
    const federation = await admin("GET", "/v1/federation");
    const federationPut = await admin("PATCH", "/v1/federation", {
      body: { enabled: federation.body.enabled },
    });
    expect(federationPut.status).toBe(200);
    expect(federationPut.body).toEqual(federation.body);
    expect(await auditSince(mark)).toEqual([]);
  });
});

describe("listing providers", () => {
  it("filters by kind", async () => {
    const hosted = await admin("GET", "/v1/providers?kind=hosted");
    expect(hosted.status).toBe(200);
    expect(hosted.body.items.length).toBeGreaterThan(0);
    for (const provider of hosted.body.items) expect(provider.kind).toBe("hosted");
    const publics = await admin("GET", "/v1/providers?kind=public");
    expect(publics.body.items.length).toBeGreaterThan(0);
    for (const provider of publics.body.items) expect(provider.kind).toBe("public");
    const all = await admin("GET", "/v1/providers");
    expect(all.body.items.length).toBe(hosted.body.items.length + publics.body.items.length);
  });

  it("sorts by name case-insensitively, then by code point", async () => {
    for (const [i, name] of [
      "beta",
      "Delta",
      "ALPHA2",
      "Alpha",
      "gamma",
      "alpha 1",
      "Alpha-0",
      "0zero",
    ].entries()) {
      expect((await putProvider(name, publicBody(name, `sip${i}.sorting.example`))).status).toBe(201);
    }
    const names: string[] = (await admin("GET", "/v1/providers")).body.items.map(
      (p: { name: string }) => p.name,
    );
    const codePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const expected = [...names].sort(
      (a, b) => codePoint(a.toLowerCase(), b.toLowerCase()) || codePoint(a, b),
    );
    expect(names).toEqual(expected);
    expect(names.indexOf("Alpha")).toBeLessThan(names.indexOf("ALPHA2"));
    expect(names.indexOf("beta")).toBeLessThan(names.indexOf("Delta"));
  });

  it("refuses an unknown kind and an unknown query parameter with 400", async () => {
    const kind = await admin("GET", "/v1/providers?kind=federated");
    expect(kind.status).toBe(400);
    expect(["bad_request", "validation_failed"]).toContain(errorCode(kind));
    expectError(await admin("GET", "/v1/providers?colour=blue"), 400, "bad_request");
  });
});

describe("federation", () => {
  it("replaces every setting by PUT and gives a left-out field its default", async () => {
    const put = await admin("PUT", "/v1/federation", {
      body: {
        enabled: true,
        partnerDiscovery: true,
        archivingDisclaimer: true,
        remoteUserAccess: false,
        anonymousUserAccess: true,
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      enabled: true,
      partnerDiscovery: true,
      archivingDisclaimer: true,
      remoteUserAccess: false,
      anonymousUserAccess: true,
      updatedBy: "admin",
      updatedVia: "api",
    });
    expectEtag(put);
    const partial = await admin("PUT", "/v1/federation", { body: { enabled: true } });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({
      enabled: true,
      partnerDiscovery: false,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: false,
    });
    expect((await admin("GET", "/v1/federation")).body).toEqual(partial.body);
  });

  it("changes some settings by PATCH and restores a default on null", async () => {
    const patch = await admin("PATCH", "/v1/federation", { body: { remoteUserAccess: false } });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ enabled: true, remoteUserAccess: false });
    const restored = await admin("PATCH", "/v1/federation", {
      rawBody: JSON.stringify({ remoteUserAccess: null }),
      contentType: "application/merge-patch+json",
    });
    expect(restored.status).toBe(200);
    expect(restored.body.remoteUserAccess).toBe(true);
  });

  it("refuses unknown fields and non-booleans with their paths", async () => {
    const unknown = await admin("PATCH", "/v1/federation", { body: { allowFederatedUsers: true } });
    expectError(unknown, 400, "validation_failed");
    expect(errorPaths(unknown)).toEqual(["allowFederatedUsers"]);
    const wrong = await admin("PUT", "/v1/federation", { body: { enabled: "yes" } });
    expectError(wrong, 400, "validation_failed");
    expect(errorPaths(wrong)).toEqual(["enabled"]);
  });

  it("honours If-Match and refuses If-None-Match: * (it always exists)", async () => {
    const read = await admin("GET", "/v1/federation");
    const stale = await admin("PATCH", "/v1/federation", {
      body: { partnerDiscovery: true },
      headers: { "if-match": `"${read.body.revision - 1}"` },
    });
    expectError(stale, 412, "precondition_failed");
    const create = await admin("PUT", "/v1/federation", {
      body: { enabled: true },
      headers: { "if-none-match": "*" },
    });
    expectError(create, 412, "precondition_failed");
    const current = await admin("PATCH", "/v1/federation", {
      body: { partnerDiscovery: true },
      headers: { "if-match": read.headers.get("etag") ?? "" },
    });
    expect(current.status).toBe(200);
    await admin("PATCH", "/v1/federation", { body: { partnerDiscovery: false } });
  });
});

describe("POST /v1/evaluate", () => {
  beforeAll(async () => {
    await admin("PATCH", "/v1/federation", { body: { enabled: true } });
    await putProvider(
      "Eval Open",
      publicBody("Eval Open", "sip.evalopen.example", { verificationLevel: "AlwaysVerifiable" }),
    );
    await putProvider(
      "Eval Contacts",
      publicBody("Eval Contacts", "sip.evalcontacts.example", { verificationLevel: "AlwaysUnverifiable" }),
    );
  });

  const evaluate = (body: unknown) => admin("POST", "/v1/evaluate", { body });

  it("decides an incoming request and writes nothing", async () => {
    const mark = await auditMark();
    const response = await evaluate({ provider: "Eval Open", assertion: "none", request: "im" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      decision: "accept",
      marking: "verified",
      decidedBy: "client",
      reason: expect.any(String),
    });
    expect(await auditSince(mark)).toEqual([]);
  });

  it("matches the provider case-insensitively", async () => {
    const response = await evaluate({ provider: "EVAL OPEN", assertion: "none", request: "presence" });
    expect(response.status).toBe(200);
    expect(response.body.decision).toBe("accept");
  });

  it("defaults senderInContacts to false", async () => {
    const absent = await evaluate({ provider: "Eval Contacts", assertion: "verified", request: "presence" });
    expect(absent.body).toMatchObject({
      decision: "reject",
      marking: "unverified",
      decidedBy: "home-server",
    });
    const inContacts = await evaluate({
      provider: "Eval Contacts",
      assertion: "verified",
      request: "presence",
      senderInContacts: true,
    });
    expect(inContacts.body).toMatchObject({
      decision: "accept",
      marking: "unverified",
      decidedBy: "home-server",
    });
  });

  it("answers an unknown provider with a reject decision, not a 404", async () => {
    const response = await evaluate({ provider: "Nobody Here", assertion: "verified", request: "im" });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ decision: "reject", marking: null, decidedBy: "edge" });
  });

  it("rejects at the edge a provider that is not enabled (a built-in on a new store)", async () => {
    const response = await evaluate({
      provider: "yahoo!",
      assertion: "verified",
      request: "im",
      senderInContacts: true,
    });
    expect(response.body).toMatchObject({ decision: "reject", decidedBy: "edge" });
  });

  it("rejects everything at the edge while federation is disabled", async () => {
    await admin("PATCH", "/v1/federation", { body: { enabled: false } });
    const response = await evaluate({ provider: "Eval Open", assertion: "verified", request: "im" });
    expect(response.body).toMatchObject({ decision: "reject", marking: null, decidedBy: "edge" });
    await admin("PATCH", "/v1/federation", { body: { enabled: true } });
  });

  it("refuses an invalid request with validation_failed and its paths", async () => {
    const response = await evaluate({ provider: "Eval Open", assertion: "maybe", request: "call" });
    expectError(response, 400, "validation_failed");
    expect(errorPaths(response).sort()).toEqual(["assertion", "request"]);
  });
});

describe("X-Imfed-Client and X-Imfed-Reason", () => {
  it.each(["pulumi", "cli", "api"])(
    "records X-Imfed-Client %s as updatedVia and in the audit entry",
    async (client) => {
      const mark = await auditMark();
      const response = await putProvider(
        `Via ${client}`,
        publicBody(`Via ${client}`, `sip.via-${client}.example`),
        {
          headers: { "x-imfed-client": client },
        },
      );
      expect(response.status).toBe(201);
      expect(response.body.updatedVia).toBe(client);
      const entries = await auditSince(mark);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ via: client, actor: "admin", action: "create" });
    },
  );

  it("defaults updatedVia to api", async () => {
    const response = await patchProvider("Via cli", { enabled: false });
    expect(response.body.updatedVia).toBe("api");
  });

  it("refuses another X-Imfed-Client with 400 bad_request and writes nothing", async () => {
    const mark = await auditMark();
    const response = await patchProvider(
      "Via cli",
      { enabled: true },
      { headers: { "x-imfed-client": "terraform" } },
    );
    expectError(response, 400, "bad_request");
    expect((await getProvider("Via cli")).body.enabled).toBe(false);
    expect(await auditSince(mark)).toEqual([]);
  });

  it("decodes a percent-encoded UTF-8 X-Imfed-Reason into updateReason and the audit entry", async () => {
    const reason = "blocked: spam — incident #42";
    const mark = await auditMark();
    const response = await patchProvider(
      "Via cli",
      { enabled: true },
      {
        headers: { "x-imfed-reason": encodeURIComponent(reason) },
      },
    );
    expect(response.status).toBe(200);
    expect(response.body.updateReason).toBe(reason);
    expect((await getProvider("Via cli")).body.updateReason).toBe(reason);
    const entries = await auditSince(mark);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.reason).toBe(reason);
    const next = await patchProvider("Via cli", { enabled: false });
    expect(next.body.updateReason).toBeNull();
  });

  it("takes a reason of 500 characters once decoded and refuses 501", async () => {
    const ok = "é".repeat(500);
    const accepted = await patchProvider(
      "Via cli",
      { enabled: true },
      {
        headers: { "x-imfed-reason": encodeURIComponent(ok) },
      },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.updateReason).toBe(ok);
    const refused = await patchProvider(
      "Via cli",
      { enabled: false },
      {
        headers: { "x-imfed-reason": encodeURIComponent("x".repeat(501)) },
      },
    );
    expectError(refused, 400, "bad_request");
    expect((await getProvider("Via cli")).body.enabled).toBe(true);
  });

  it("refuses a reason that is not valid percent-encoded UTF-8", async () => {
    const refused = await patchProvider(
      "Via cli",
      { enabled: false },
      { headers: { "x-imfed-reason": "100%E0%A4%A" } },
    );
    expectError(refused, 400, "bad_request");
  });
});

describe("the audit log", () => {
  it("records a create, a replace, a PATCH and a DELETE of a provider with whole snapshots", async () => {
    const mark = await auditMark();
    const created = await putProvider("Audited", publicBody("Audited", "sip.audited.example"), {
      headers: { "x-imfed-client": "cli", "x-imfed-reason": encodeURIComponent("onboarding") },
    });
    const replaced = await putProvider(
      "audited",
      publicBody("Audited", "sip.audited.example", { verificationLevel: "AlwaysVerifiable" }),
    );
    const patched = await patchProvider(
      "AUDITED",
      { enabled: false },
      { headers: { "x-imfed-client": "pulumi" } },
    );
    const deleted = await admin("DELETE", providerPath("Audited"), {
      headers: { "x-imfed-reason": encodeURIComponent("gone") },
    });
    expect([created.status, replaced.status, patched.status, deleted.status]).toEqual([201, 200, 200, 204]);

    const entries = await auditSince(mark);
    expect(entries).toHaveLength(4);
    const [create, replace, patch, remove] = entries;
    const common = {
      actor: "admin",
      target: "provider/Audited",
      seq: expect.any(Number),
      at: expect.stringMatching(ISO_UTC),
    };
    expect(create).toMatchObject({
      ...common,
      action: "create",
      via: "cli",
      reason: "onboarding",
      before: null,
    });
    expect(create?.after).toMatchObject({
      name: "Audited",
      kind: "public",
      proxyFqdn: "sip.audited.example",
      enabled: true,
    });
    expect(replace).toMatchObject({ ...common, action: "update", via: "api", reason: null });
    expect(replace?.before).toMatchObject({ verificationLevel: "UseSourceVerification" });
    expect(replace?.after).toMatchObject({ verificationLevel: "AlwaysVerifiable" });
    expect(patch).toMatchObject({ ...common, action: "update", via: "pulumi" });
    expect(patch?.before).toMatchObject({ enabled: true });
    expect(patch?.after).toMatchObject({ enabled: false });
    expect(remove).toMatchObject({ ...common, action: "delete", reason: "gone", after: null });
    expect(remove?.before).toMatchObject({ name: "Audited", enabled: false });
    const seqs = entries.map((entry) => entry.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(4);
    expect(seqs[0]).toBeGreaterThan(mark);
  });

  it("keeps in a snapshot the whole object as the API returns it", async () => {
    const mark = await auditMark();
    const created = await putProvider("Snapshot Co", hostedBody("Snapshot Co", "sip.snapshot.example"));
    const patched = await patchProvider("Snapshot Co", { isLocal: true });
    const entries = await auditSince(mark);
    expect(entries.map((entry) => entry.after)).toEqual([created.body, patched.body]);
    expect(entries[1]?.before).toEqual(created.body);
  });

  it("records federation PUT and PATCH against the target federation", async () => {
    const mark = await auditMark();
    const before = await admin("GET", "/v1/federation");
    await admin("PUT", "/v1/federation", { body: { ...before.body, archivingDisclaimer: true } });
    await admin("PATCH", "/v1/federation", {
      body: { archivingDisclaimer: false },
      headers: { "x-imfed-client": "pulumi" },
    });
    const entries = await auditSince(mark);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ action: "update", target: "federation", actor: "admin", via: "api" });
    expect(entries[0]?.before).toMatchObject({ archivingDisclaimer: false });
    expect(entries[0]?.after).toMatchObject({ archivingDisclaimer: true });
    expect(entries[1]).toMatchObject({ action: "update", target: "federation", via: "pulumi" });
    expect(entries[1]?.after).toMatchObject({ archivingDisclaimer: false });
  });

  it("pages oldest first: limit, after and next", async () => {
    for (let i = 0; i < 105; i += 1) {
      const response = await patchProvider("Block Me", { enabled: i % 2 === 0 });
      expect(response.status).toBe(200);
    }
    const firstPage = await admin("GET", "/v1/audit");
    expect(firstPage.body.items).toHaveLength(100);
    expect(firstPage.body.next).toBe(firstPage.body.items[99].seq);
    const one = await admin("GET", "/v1/audit?limit=1");
    expect(one.body.items).toHaveLength(1);
    expect(one.body.next).toBe(one.body.items[0].seq);
    const two = await admin("GET", `/v1/audit?after=${one.body.next}&limit=1`);
    expect(two.body.items[0].seq).toBeGreaterThan(one.body.next);
    expect(two.body.items[0]).toEqual(firstPage.body.items[1]);
    const all = await admin("GET", "/v1/audit?limit=1000");
    expect(all.body.items.length).toBeGreaterThan(105);
    const seqs = all.body.items.map((entry: { seq: number }) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    const end = all.body.next as number;
    expect(end).toBe(seqs[seqs.length - 1]);
    expect((await admin("GET", `/v1/audit?after=${end}`)).body).toEqual({ items: [], next: end });
    expect((await admin("GET", `/v1/audit?after=${end + 1000}`)).body).toEqual({
      items: [],
      next: end + 1000,
    });
  });

  it.each(["limit=0", "limit=1001", "limit=abc", "after=abc", "after=-1", "limit=1.5", "colour=blue"])(
    "refuses ?%s with 400",
    async (query) => {
      const response = await admin("GET", `/v1/audit?${query}`);
      expect(response.status).toBe(400);
      expect(["bad_request", "validation_failed"]).toContain(errorCode(response));
    },
  );

  it("answers a malformed audit query with bad_request", async () => {
    expectError(await admin("GET", "/v1/audit?limit=abc"), 400, "bad_request");
  });
});

describe("tokens", () => {
  let secret = "";

  it("creates a token with 201, showing its secret this once", async () => {
    const mark = await auditMark();
    const created = await admin("POST", "/v1/tokens", {
      body: { name: "ci-bot", role: "CsAdministrator" },
      headers: { "x-imfed-client": "cli" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: "ci-bot",
      role: "CsAdministrator",
      createdAt: expect.stringMatching(ISO_UTC),
      token: expect.stringMatching(/^imfed_[A-Za-z0-9_-]{43}$/),
    });
    secret = created.body.token;
    secrets.push(secret);
    const entries = await auditSince(mark);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "create",
      target: "token/ci-bot",
      actor: "admin",
      via: "cli",
      before: null,
    });
    expect(entries[0]?.after).toMatchObject({ name: "ci-bot", role: "CsAdministrator" });
    expect(JSON.stringify(entries)).not.toContain(secret);
    expect(entries[0]?.after).not.toHaveProperty("token");
  });

  it("answers the creation of a token, the one answer that shows its secret, with Cache-Control: no-store", async () => {
    const created = await admin("POST", "/v1/tokens", {
      body: { name: "cache-probe", role: "CsViewOnlyAdministrator" },
    });
    expect(created.status).toBe(201);
    secrets.push(created.body.token);
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("lists tokens without their secrets", async () => {
    const list = await admin("GET", "/v1/tokens");
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([{ name: "ci-bot", role: "CsAdministrator", createdAt: expect.any(String) }]),
    );
    for (const item of list.body.items)
      expect(Object.keys(item).sort()).toEqual(["createdAt", "name", "role"]);
    expect(list.text).not.toContain(secret);
  });

  it("lets the new token write, recorded under its name", async () => {
    const mark = await auditMark();
    const response = await api(store, "PUT", providerPath("Bot Made"), {
      token: secret,
      body: publicBody("Bot Made", "sip.botmade.example"),
    });
    expect(response.status).toBe(201);
    expect(response.body.updatedBy).toBe("ci-bot");
    const entries = await auditSince(mark);
    expect(entries.map((entry) => entry.actor)).toEqual(["ci-bot"]);
  });

  it("answers 409 to a taken name, admin included", async () => {
    expectError(
      await admin("POST", "/v1/tokens", { body: { name: "ci-bot", role: "CsViewOnlyAdministrator" } }),
      409,
      "conflict",
    );
    expectError(
      await admin("POST", "/v1/tokens", { body: { name: "admin", role: "CsAdministrator" } }),
      409,
      "conflict",
    );
  });

  it("refuses an invalid token request with the paths", async () => {
    const response = await admin("POST", "/v1/tokens", {
      body: { name: "bad name/", role: "Root", extra: 1 },
    });
    expectError(response, 400, "validation_failed");
    expect([...new Set(errorPaths(response))].sort()).toEqual(["extra", "name", "role"]);
  });

  it("deletes a token with 204, and it stops working at once", async () => {
    const mark = await auditMark();
    const deleted = await admin("DELETE", "/v1/tokens/ci-bot");
    expect(deleted.status).toBe(204);
    expectError(await api(store, "GET", "/v1/providers", { token: secret }), 401, "unauthorized");
    const entries = await auditSince(mark);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "delete",
      target: "token/ci-bot",
      actor: "admin",
      after: null,
    });
    expect(entries[0]?.before).toMatchObject({ name: "ci-bot", role: "CsAdministrator" });
    expect(JSON.stringify(entries)).not.toContain(secret);
    expectError(await admin("DELETE", "/v1/tokens/ci-bot"), 404, "not_found");
  });
});

describe("response headers", () => {
  it("sends nosniff and no-store with every API answer, errors and refusals included", async () => {
    const answers = [
      await admin("GET", "/v1/providers"),
      await admin("GET", providerPath("MSN")),
      await admin("GET", "/v1/nothing-here"),
      await admin("PUT", providerPath("Header Probe"), { rawBody: "{oops" }),
      await admin("GET", "/v1/providers/%ZZ"),
      await api(store, "GET", "/v1/providers"),
      await api(store, "GET", "/healthz"),
      await api(store, "GET", "/readyz"),
    ];
    for (const answer of answers) {
      expect({ status: answer.status, nosniff: answer.headers.get("x-content-type-options") }).toEqual({
        status: answer.status,
        nosniff: "nosniff",
      });
      expect(answer.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("errors and their order of concern", () => {
  const unknownToken = makeToken();
  beforeAll(() => {
    secrets.push(unknownToken);
  });

  it("answers 401 unauthorized without a token, with an unknown one, and with a malformed header", async () => {
    expectError(await api(store, "GET", "/v1/providers"), 401, "unauthorized");
    expectError(await api(store, "GET", "/v1/providers", { token: unknownToken }), 401, "unauthorized");
    expectError(await api(store, "GET", "/v1/providers", { token: "not-a-token" }), 401, "unauthorized");
    expectError(
      await api(store, "GET", "/v1/providers", { headers: { authorization: `Basic ${store.adminToken}` } }),
      401,
      "unauthorized",
    );
  });

  it("answers 403 forbidden to a view-only token's write", async () => {
    const created = await admin("POST", "/v1/tokens", {
      body: { name: "viewer", role: "CsViewOnlyAdministrator" },
    });
    secrets.push(created.body.token);
    const response = await api(store, "PATCH", providerPath("MSN"), {
      token: created.body.token,
      body: { enabled: true },
    });
    expectError(response, 403, "forbidden");
  });

  it("checks the role before reading the path: a view-only write to an undecodable name is 403, a read 400", async () => {
    const created = await admin("POST", "/v1/tokens", {
      body: { name: "path-viewer", role: "CsViewOnlyAdministrator" },
    });
    const viewer = created.body.token as string;
    secrets.push(viewer);
    for (const [method, path] of [
      ["DELETE", "/v1/providers/%ZZ"],
      ["PATCH", "/v1/providers/%ZZ"],
      ["PUT", "/v1/providers/%E0%A4%A"],
      ["DELETE", "/v1/tokens/%ZZ"],
      ["POST", "/v1/providers/%ZZ"],
    ] as const) {
      expectError(await api(store, method, path, { token: viewer }), 403, "forbidden");
      expectError(await api(store, method, path), 401, "unauthorized");
      expectError(await admin(method, path), 400, "bad_request");
    }
    // A read is the view-only token's to make, so the path's fault is what it hears of.
    expectError(await api(store, "GET", "/v1/providers/%ZZ", { token: viewer }), 400, "bad_request");
  });

  it("answers a name over 100 characters with the contract's 400 body, without echoing the path", async () => {
    const name = "N".repeat(150);
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const response = await admin(method, providerPath(name));
      expectError(response, 400, "bad_request");
      expect(response.body.error.message).toContain("over 100 characters");
      expect(response.text).not.toContain("N".repeat(101));
      expect(response.text.length).toBeLessThan(400);
    }
    expectError(await admin("DELETE", `/v1/tokens/${"t".repeat(150)}`), 400, "bad_request");
    expectError(await api(store, "DELETE", providerPath(name)), 401, "unauthorized");
  });

  it("answers 404 not_found to an unknown path under /v1 with a token, and 401 without", async () => {
    expectError(await admin("GET", "/v1/nothing-here"), 404, "not_found");
    expectError(await admin("GET", "/v1/providers/MSN/extra"), 404, "not_found");
    expectError(await api(store, "GET", "/v1/nothing-here"), 401, "unauthorized");
  });

  it("answers 405 with an Allow header to a wrong method on a known path", async () => {
    for (const [method, path, allowed] of [
      ["POST", "/v1/providers", "GET"],
      ["POST", providerPath("MSN"), "PATCH"],
      ["DELETE", "/v1/federation", "PUT"],
      ["PUT", "/v1/audit", "GET"],
      ["GET", "/v1/evaluate", "POST"],
      ["PATCH", "/v1/tokens", "POST"],
    ] as const) {
      const response = await admin(method, path, method === "GET" || method === "DELETE" ? {} : { body: {} });
      expectError(response, 405, "method_not_allowed");
      expect(response.headers.get("allow") ?? "").toContain(allowed);
    }
  });

  it("answers 400 bad_request to malformed JSON", async () => {
    expectError(
      await admin("PUT", providerPath("Contoso IM"), { rawBody: '{"name": "Contoso IM",' }),
      400,
      "bad_request",
    );
    expectError(await admin("PATCH", "/v1/federation", { rawBody: "{enabled: true}" }), 400, "bad_request");
    expectError(await admin("POST", "/v1/evaluate", { rawBody: "" }), 400, "bad_request");
  });

  it("answers 415 to a body without a Content-Type, and writes nothing", async () => {
    const before = await getProvider("Contoso IM");
    const body = JSON.stringify(
      publicBody("Contoso IM", "sip.contoso.com", { enabled: !before.body.enabled }),
    );
    const response = await admin("PUT", providerPath("Contoso IM"), {
      rawBody: body,
      contentType: null,
    });
    expect(response.status).toBe(415);
    expect(errorCode(response)).toBe("unsupported_media_type");
    expect((await getProvider("Contoso IM")).body).toEqual(before.body);
  });

  it("answers 400 to a JSON body that is not an object", async () => {
    for (const rawBody of ["[]", "null", '"enabled"', "42"]) {
      const response = await admin("PATCH", providerPath("Contoso IM"), { rawBody });
      expect(response.status).toBe(400);
      expect(["bad_request", "validation_failed"]).toContain(errorCode(response));
    }
  });

  it("answers 415 to a body that is not JSON, and to merge-patch+json outside PATCH", async () => {
    const body = JSON.stringify(publicBody("Contoso IM", "sip.contoso.com"));
    expectError(
      await admin("PUT", providerPath("Contoso IM"), { rawBody: body, contentType: "text/plain" }),
      415,
      "unsupported_media_type",
    );
    expectError(
      await admin("PUT", providerPath("Contoso IM"), {
        rawBody: body,
        contentType: "application/merge-patch+json",
      }),
      415,
      "unsupported_media_type",
    );
    expectError(
      await admin("PATCH", "/v1/federation", {
        rawBody: "enabled=true",
        contentType: "application/x-www-form-urlencoded",
      }),
      415,
      "unsupported_media_type",
    );
    expectError(
      await admin("POST", "/v1/evaluate", {
        rawBody: JSON.stringify({ provider: "MSN", assertion: "none", request: "im" }),
        contentType: "application/merge-patch+json",
      }),
      415,
      "unsupported_media_type",
    );
  });

  it("takes a body of 64 KiB and answers 413 to one byte more", async () => {
    const build = (size: number) => {
      const head =
        '{"name":"Contoso IM","kind":"public","proxyFqdn":"sip.contoso.com","enabled":true,"pad":"';
      const tail = '"}';
      return head + "x".repeat(size - head.length - tail.length) + tail;
    };
    const exact = build(64 * 1024);
    expect(Buffer.byteLength(exact)).toBe(65536);
    const atLimit = await admin("PUT", providerPath("Contoso IM"), { rawBody: exact });
    expectError(atLimit, 400, "validation_failed");
    expect(errorPaths(atLimit)).toEqual(["pad"]);
    expectError(
      await admin("PUT", providerPath("Contoso IM"), { rawBody: build(64 * 1024 + 1) }),
      413,
      "payload_too_large",
    );
  });

  it("checks authentication before the transport: 401 before 415 and 413", async () => {
    expectError(
      await api(store, "PUT", providerPath("Contoso IM"), { rawBody: "x", contentType: "text/plain" }),
      401,
      "unauthorized",
    );
    expectError(
      await api(store, "PUT", providerPath("Contoso IM"), { rawBody: "x".repeat(70_000) }),
      401,
      "unauthorized",
    );
  });

  it("checks the role before the transport: 403 before 415", async () => {
    const viewer = await admin("POST", "/v1/tokens", {
      body: { name: "viewer2", role: "CsViewOnlyAdministrator" },
    });
    secrets.push(viewer.body.token);
    const response = await api(store, "PUT", providerPath("Contoso IM"), {
      token: viewer.body.token,
      rawBody: "x",
      contentType: "text/plain",
    });
    expectError(response, 403, "forbidden");
  });

  it("checks the transport before existence: 415, 413 and 400 bad_request before 404", async () => {
    expectError(
      await admin("PATCH", providerPath("Missing"), { rawBody: "{}", contentType: "text/plain" }),
      415,
      "unsupported_media_type",
    );
    expectError(
      await admin("PATCH", providerPath("Missing"), { rawBody: "x".repeat(70_000) }),
      413,
      "payload_too_large",
    );
    expectError(await admin("PATCH", providerPath("Missing"), { rawBody: "{oops" }), 400, "bad_request");
  });

  it("checks existence before preconditions: 404 before 412 on PATCH and DELETE", async () => {
    expectError(
      await patchProvider("Missing", { enabled: true }, { headers: { "if-match": '"1"' } }),
      404,
      "not_found",
    );
    expectError(
      await admin("DELETE", providerPath("Missing"), { headers: { "if-match": '"1"' } }),
      404,
      "not_found",
    );
  });

  it("checks existence before validation: 404 before 400 on PATCH", async () => {
    expectError(await patchProvider("Missing", { enabled: "maybe" }), 404, "not_found");
  });

  it("checks preconditions before validation: 412 before 400 on a PUT with a stale If-Match", async () => {
    const read = await getProvider("Contoso IM");
    const response = await putProvider(
      "Contoso IM",
      publicBody("Contoso IM", "sip.contoso.com", { verificationLevel: "Bogus" }),
      {
        headers: { "if-match": `"${read.body.revision - 1}"` },
      },
    );
    expectError(response, 412, "precondition_failed");
  });

  it("checks validation before conflicts: 400 before 409", async () => {
    const change = await putProvider(
      "Contoso IM",
      publicBody("Contoso IM", "sip9.contoso.com", { verificationLevel: "Bogus" }),
    );
    expectError(change, 400, "validation_failed");
    expect(errorPaths(change)).toEqual(["verificationLevel"]);
    const taken = await putProvider("Twin Two", publicBody("Twin Two", "sip.contoso.com", { enabled: "no" }));
    expectError(taken, 400, "validation_failed");
    expect(errorPaths(taken)).toEqual(["enabled"]);
  });

  it("checks preconditions before conflicts: 412 before 409", async () => {
    const response = await putProvider("Contoso Again", publicBody("Contoso Again", "sip.contoso.com"), {
      headers: { "if-match": '"1"' },
    });
    expectError(response, 412, "precondition_failed");
  });
});

describe("logs", () => {
  it("never contain a token", async () => {
    expect(secrets.length).toBeGreaterThan(3);
    // The process logs in order: once the answer line of a last request is in the output, the
    // lines of every earlier request are too. Generous bound, in case the machine is busy.
    const last = "contract-logs-flushed";
    await api(store, "GET", "/healthz", { headers: { "x-request-id": last } });
    const deadline = Date.now() + 30_000;
    while (!store.output().includes(`"reqId":"${last}","res"`) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.output()).toContain(`"reqId":"${last}","res"`);
    const output = store.output();
    expect(output.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
      // The random part alone must not appear either (a logger might strip the prefix).
      expect(output).not.toContain(secret.slice("imfed_".length));
    }
  });
});

describe("a batch read of providers by name", () => {
  const names = Array.from({ length: 12 }, (_, index) => `Batch ${String(index).padStart(2, "0")}`);

  beforeAll(async () => {
    for (const name of names) {
      const kind = names.indexOf(name) % 2 === 0 ? "public" : "hosted";
      const body =
        kind === "public"
          ? publicBody(name, `sip.batch${names.indexOf(name)}.example`)
          : hostedBody(name, `sip.batch${names.indexOf(name)}.example`);
      expect((await putProvider(name, body)).status).toBe(201);
    }
  });

  const batchPath = (wanted: readonly string[], extra = "") =>
    `/v1/providers?${new URLSearchParams(wanted.map((name): [string, string] => ["name", name])).toString()}${extra}`;
  const namesOf = (response: ApiResponse) =>
    (response.body as { items: { name: string }[] }).items.map((item) => item.name);

  it("answers only the providers named, ignoring case, sorted as the list, leaving out a name that names nothing", async () => {
    const response = await admin("GET", batchPath(["batch 03", "BATCH 01", "No Such Provider", "Batch 07"]));
    expect(response.status).toBe(200);
    expect(namesOf(response)).toEqual(["Batch 01", "Batch 03", "Batch 07"]);
    const listed = (await admin("GET", "/v1/providers")).body as { items: Record<string, unknown>[] };
    const items = (response.body as { items: Record<string, unknown>[] }).items;
    for (const item of items) expect(listed.items.find((one) => one.name === item.name)).toEqual(item);
  });

  it("answers one name given once, and a name given twice once", async () => {
    expect(namesOf(await admin("GET", batchPath(["Batch 05"])))).toEqual(["Batch 05"]);
    expect(namesOf(await admin("GET", batchPath(["Batch 05", "batch 05"])))).toEqual(["Batch 05"]);
  });

  it("narrows a batch read by kind too", async () => {
    const response = await admin("GET", batchPath(["Batch 00", "Batch 01", "Batch 02"], "&kind=hosted"));
    expect(namesOf(response)).toEqual(["Batch 01"]);
  });

  it("refuses more than 50 names, and a name that is not valid, as a bad request", async () => {
    const many = Array.from({ length: 51 }, (_, index) => `Many ${index}`);
    const tooMany = await admin("GET", batchPath(many));
    expect(tooMany.status).toBe(400);
    expect(errorCode(tooMany)).toBe("bad_request");
    const invalid = await admin("GET", batchPath(["x".repeat(65)]));
    expect(invalid.status).toBe(400);
    expect(errorCode(invalid)).toBe("bad_request");
  });

  it("refuses a batch read without a valid token", async () => {
    const response = await api(store, "GET", batchPath(["Batch 01"]), { token: makeToken() });
    expect(response.status).toBe(401);
  });

  it("is described in the OpenAPI document as a repeated name parameter of the list", async () => {
    const document = (await admin("GET", "/v1/openapi.json")).body as {
      paths: Record<string, { get: { parameters: { name: string; schema: { maxItems?: number } }[] } }>;
    };
    const parameter = document.paths["/v1/providers"]?.get.parameters.find((one) => one.name === "name");
    expect(parameter?.schema.maxItems).toBe(50);
  });
});
