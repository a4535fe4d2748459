import { api } from "../../helpers/api";
import type { CliRun } from "../../helpers/imfed-cli";
import { runImfed } from "../../helpers/imfed-cli";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

/**
 * A write that changes nothing: the store answers it at the same revision and records no audit
 * entry, and the `imfed` command says "Nothing changed" instead of "saved" (it sends the write
 * with `If-Match` of the revision it read and compares the revision of the answer).
 */

let store: StoreProcess;

beforeAll(async () => {
  store = await startStore();
});

afterAll(async () => {
  await store?.stop();
});

function imfed(args: readonly string[]): Promise<CliRun> {
  return runImfed(args, { IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken });
}

async function auditNext(): Promise<number> {
  return (await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken })).body.next as number;
}

async function federationRevision(): Promise<number> {
  return (await api(store, "GET", "/v1/federation", { token: store.adminToken })).body.revision as number;
}

describe("imfed federation", () => {
  it("enable when federation is already enabled says nothing changed and writes nothing", async () => {
    const first = await imfed(["federation", "enable", "--reason", "go live"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("Federation is enabled.");
    const revision = await federationRevision();
    const before = await auditNext();

    const again = await imfed(["federation", "enable", "--reason", "again"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("Nothing changed: federation is already enabled");
    expect(again.stderr).toContain("reason: go live");
    expect(again.stderr).not.toContain("Federation is enabled.");
    expect(await auditNext()).toBe(before);
    expect(await federationRevision()).toBe(revision);
  });

  it("disable when federation is already disabled says nothing changed", async () => {
    expect((await imfed(["federation", "disable"])).stderr).toContain("Federation is disabled.");
    const before = await auditNext();
    const again = await imfed(["federation", "disable"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("Nothing changed: federation is already disabled");
    expect(await auditNext()).toBe(before);
  });

  it("set with the values the settings already have says nothing changed; a change says saved", async () => {
    const before = await auditNext();
    const same = await imfed([
      "federation",
      "set",
      "--partner-discovery",
      "false",
      "--remote-user-access",
      "true",
    ]);
    expect(same.code).toBe(0);
    expect(same.stderr).toContain("Nothing changed: the federation settings already had the values given");
    expect(same.stderr).not.toContain("Saved");
    expect(await auditNext()).toBe(before);

    const change = await imfed(["federation", "set", "--partner-discovery", "true"]);
    expect(change.code).toBe(0);
    expect(change.stderr).toMatch(/Saved the federation settings \(revision \d+\)\./);
    expect(await auditNext()).toBe(before + 1);
  });

  it("set with --if-revision of the current revision and nothing to change says nothing changed", async () => {
    const revision = await federationRevision();
    const before = await auditNext();
    const run = await imfed([
      "federation",
      "set",
      "--partner-discovery",
      "true",
      "--if-revision",
      String(revision),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Nothing changed");
    expect(await auditNext()).toBe(before);
  });

  it("set with a stale --if-revision exits 5 and writes nothing", async () => {
    const revision = await federationRevision();
    const before = await auditNext();
    const run = await imfed([
      "federation",
      "set",
      "--archiving-disclaimer",
      "true",
      "--if-revision",
      String(revision - 1),
    ]);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/^imfed: /);
    expect(await auditNext()).toBe(before);
  });
});

describe("imfed providers set", () => {
  it("with the settings the provider already has says nothing changed and writes nothing", async () => {
    const before = await auditNext();
    const same = await imfed([
      "providers",
      "set",
      "AOL",
      "--verification-level",
      "UseSourceVerification",
      "--disable",
    ]);
    expect(same.code).toBe(0);
    expect(same.stderr).toContain('Nothing changed: provider "AOL" already had the values given');
    expect(await auditNext()).toBe(before);

    const change = await imfed(["providers", "set", "aol", "--verification-level", "AlwaysUnverifiable"]);
    expect(change.code).toBe(0);
    expect(change.stderr).toMatch(/Saved provider "AOL" \(revision \d+\)\./);
    expect(await auditNext()).toBe(before + 1);
  });
});
