import { rmSync } from "node:fs";
import type { ApiOptions, ApiResponse } from "../../helpers/api";
import { api, providerPath } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { startBackendStore } from "../../helpers/backend";

/**
 * Persistence (issue 3, "What it must show"): write, kill the process with SIGKILL (no chance
 * to flush or close anything), start it again on the same SQLite file, and read every
 * acknowledged write back, the audit log included.
 */

let first: StoreProcess;
let second: StoreProcess | undefined;

afterAll(async () => {
  await second?.stop();
  await first?.kill();
  if (first !== undefined) rmSync(first.dir, { recursive: true, force: true });
});

async function readWholeAudit(store: StoreProcess, token: string): Promise<unknown[]> {
  const entries: unknown[] = [];
  let after = 0;
  for (;;) {
    const page = await api(store, "GET", `/v1/audit?after=${after}&limit=1000`, { token });
    expect(page.status).toBe(200);
    if (page.body.items.length === 0) return entries;
    entries.push(...page.body.items);
    after = page.body.next;
  }
}

it("reads back every acknowledged write after a SIGKILL and a restart on the same file", async () => {
  first = await startBackendStore();
  const token = first.adminToken;
  const write = async (method: string, path: string, options: ApiOptions): Promise<ApiResponse> => {
    const response = await api(first, method, path, { token, ...options });
    expect([200, 201, 204]).toContain(response.status);
    return response;
  };

  const publicProvider = await write("PUT", providerPath("Contoso IM"), {
    body: {
      name: "Contoso IM",
      kind: "public",
      proxyFqdn: "sip.contoso.com",
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    },
    headers: { "x-imfed-client": "pulumi", "x-imfed-reason": encodeURIComponent("onboarding — ticket #7") },
  });
  const hostedProvider = await write("PUT", providerPath("Fabrikam Hosted"), {
    body: {
      name: "Fabrikam Hosted",
      kind: "hosted",
      proxyFqdn: "proxy.fabrikam.com",
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: true,
      isLocal: false,
      autodiscoverUrl: "https://autodiscover.fabrikam.com/autodiscover/autodiscover.svc",
    },
  });
  await write("PUT", providerPath("Temporary"), {
    body: { name: "Temporary", kind: "public", proxyFqdn: "sip.temporary.example", enabled: true },
  });
  await write("DELETE", providerPath("Temporary"), {});
  await write("DELETE", providerPath("AOL"), {});
  const federation = await write("PUT", "/v1/federation", {
    body: {
      enabled: true,
      partnerDiscovery: true,
      archivingDisclaimer: false,
      remoteUserAccess: false,
      anonymousUserAccess: true,
    },
    headers: { "x-imfed-client": "pulumi" },
  });
  const viewer = await write("POST", "/v1/tokens", {
    body: { name: "auditor", role: "CsViewOnlyAdministrator" },
  });
  const revoked = await write("POST", "/v1/tokens", { body: { name: "former", role: "CsAdministrator" } });
  await write("DELETE", "/v1/tokens/former", {});
  // The last write is acknowledged just before the kill: it must survive too.
  const blockedMsn = await write("PATCH", providerPath("MSN"), {
    body: { enabled: true },
    headers: { "x-imfed-client": "cli", "x-imfed-reason": encodeURIComponent("last write") },
  });

  const providersBefore = (await api(first, "GET", "/v1/providers", { token })).body;
  const tokensBefore = (await api(first, "GET", "/v1/tokens", { token })).body;
  const auditBefore = await readWholeAudit(first, token);
  expect(auditBefore.length).toBeGreaterThanOrEqual(10);

  await first.kill();
  expect(first.child.signalCode).toBe("SIGKILL");

  second = await startBackendStore({ db: first.db, adminToken: token });
  const again = second;
  const read = (path: string, readToken = token) => api(again, "GET", path, { token: readToken });

  expect((await read(providerPath("Contoso IM"))).body).toEqual(publicProvider.body);
  expect((await read(providerPath("Fabrikam Hosted"))).body).toEqual(hostedProvider.body);
  expect((await read(providerPath("MSN"))).body).toEqual(blockedMsn.body);
  expect((await read(providerPath("MSN"))).body).toMatchObject({ enabled: true, updateReason: "last write" });
  expect((await read(providerPath("Temporary"))).status).toBe(404);
  expect((await read(providerPath("AOL"))).status).toBe(404);
  expect((await read("/v1/providers")).body).toEqual(providersBefore);
  expect((await read("/v1/federation")).body).toEqual(federation.body);
  expect((await read("/v1/tokens")).body).toEqual(tokensBefore);
  expect(await readWholeAudit(again, token)).toEqual(auditBefore);

  // The tokens survive: the view-only one still reads, the revoked one stays revoked.
  expect((await read("/v1/providers", viewer.body.token)).status).toBe(200);
  expect((await read("/v1/providers", revoked.body.token)).status).toBe(401);

  // Revisions continue where they stopped: none is reused after a restart.
  const highest = Math.max(
    federation.body.revision,
    ...providersBefore.items.map((provider: { revision: number }) => provider.revision),
  );
  const after = await api(again, "PUT", providerPath("After Restart"), {
    token,
    body: { name: "After Restart", kind: "public", proxyFqdn: "sip.afterrestart.example", enabled: false },
  });
  expect(after.status).toBe(201);
  expect(after.body.revision).toBeGreaterThan(highest);
});
