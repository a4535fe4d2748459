import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Dialect } from "kysely";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import { Pool } from "pg";
import { ConflictError, federationKind, imProviderKind } from "../../../core";
import type { TopologyStore } from "../../../store";
import { openTopologyStore } from "../../../store";
import { storeMigrations } from "../../../store/db/migrations";
import type { Backend } from "../../helpers/backend";
import { BACKENDS, sharedPostgres } from "../../helpers/backend";
import { openRawDatabase } from "../../helpers/raw-database";

/**
 * Migration 0005_documents on a store made before it: the providers and federation settings of
 * the per-kind tables of 0001 move into documents with their revisions, times and last writes;
 * the old tables are gone; the names and Access Edges stay unique; and revisions go on from the
 * store's counter.
 */

// A store as imfed left it before 0005: its tables made by 0001 to 0003, and rows in them.
async function makeStoreBefore0005(backend: Backend, dir: string): Promise<string> {
  let location: string;
  let dialect: Dialect;
  if (backend === "postgres") {
    location = await (await sharedPostgres()).createDatabase("premigration");
    dialect = new PostgresDialect({ pool: new Pool({ connectionString: location, max: 1 }) });
  } else {
    location = path.join(dir, "store.db");
    dialect = new SqliteDialect({ database: new BetterSqlite3(location) });
  }
  const db = new Kysely<unknown>({ dialect });
  const migrations = storeMigrations(backend);
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0005"));
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => before },
  }).migrateToLatest();
  await db.destroy();
  if (error !== undefined) throw error;

  const raw = await openRawDatabase(location);
  try {
    const provider = `insert into providers (name_key, name, kind, proxy_fqdn, enabled, verification_level,
      enabled_shared_address_space, hosts_ocs_users, is_local, autodiscover_url, revision, created_at,
      updated_at, updated_by, updated_via, update_reason) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`;
    await raw.query(provider, [
      "msn",
      "MSN",
      "public",
      "federation.messenger.msn.com",
      1,
      "UseSourceVerification",
      null,
      null,
      null,
      null,
      8,
      "2025-01-01T00:00:00.000Z",
      "2025-03-04T05:06:07.000Z",
      "ops-oncall",
      "control-panel",
      "ticket #12",
    ]);
    await raw.query(provider, [
      "fabrikam hosted",
      "Fabrikam Hosted",
      "hosted",
      "proxy.fabrikam.com",
      0,
      "AlwaysUnverifiable",
      1,
      0,
      1,
      "https://autodiscover.fabrikam.com/autodiscover",
      6,
      "2025-02-01T00:00:00.000Z",
      "2025-02-02T00:00:00.000Z",
      "admin",
      "pulumi",
      null,
    ]);
    await raw.query(provider, [
      "contoso",
      "Contoso",
      "hosted",
      "sip.contoso.com",
      1,
      "UseSourceVerification",
      0,
      0,
      0,
      null,
      7,
      "2025-02-03T00:00:00.000Z",
      "2025-02-03T00:00:00.000Z",
      "admin",
      "cli",
      null,
    ]);
    await raw.query(
      `insert into federation (id, enabled, partner_discovery, archiving_disclaimer, remote_user_access,
        anonymous_user_access, revision, updated_at, updated_by, updated_via, update_reason)
        values ('global', 1, 0, 1, 0, 1, 5, '2025-01-05T00:00:00.000Z', 'admin', 'api', 'federate')`,
    );
    await raw.query("insert into counters (name, value) values ('revision', 9)");
  } finally {
    await raw.close();
  }
  return location;
}

describe.each(BACKENDS)("migration 0005_documents on %s", (backend: Backend) => {
  let dir: string;
  let location: string;
  let store: TopologyStore;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-migration-"));
    location = await makeStoreBefore0005(backend, dir);
    store = await openTopologyStore(location);
  });

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("moves every provider into a document with its revision, times and last write", async () => {
    expect(await store.list(imProviderKind)).toEqual([
      {
        name: "Contoso",
        kind: "hosted",
        proxyFqdn: "sip.contoso.com",
        enabled: true,
        verificationLevel: "UseSourceVerification",
        enabledSharedAddressSpace: false,
        hostsOcsUsers: false,
        isLocal: false,
        autodiscoverUrl: null,
        // A field added after the migration reads back with its default.
        sipClientPort: 443,
        builtIn: false,
        revision: 7,
        createdAt: "2025-02-03T00:00:00.000Z",
        updatedAt: "2025-02-03T00:00:00.000Z",
        updatedBy: "admin",
        updatedVia: "cli",
        updateReason: null,
      },
      {
        name: "Fabrikam Hosted",
        kind: "hosted",
        proxyFqdn: "proxy.fabrikam.com",
        enabled: false,
        verificationLevel: "AlwaysUnverifiable",
        enabledSharedAddressSpace: true,
        hostsOcsUsers: false,
        isLocal: true,
        autodiscoverUrl: "https://autodiscover.fabrikam.com/autodiscover",
        sipClientPort: 443,
        builtIn: false,
        revision: 6,
        createdAt: "2025-02-01T00:00:00.000Z",
        updatedAt: "2025-02-02T00:00:00.000Z",
        updatedBy: "admin",
        updatedVia: "pulumi",
        updateReason: null,
      },
      {
        name: "MSN",
        kind: "public",
        proxyFqdn: "federation.messenger.msn.com",
        enabled: true,
        verificationLevel: "UseSourceVerification",
        builtIn: true,
        revision: 8,
        createdAt: "2025-01-01T00:00:00.000Z",
        updatedAt: "2025-03-04T05:06:07.000Z",
        updatedBy: "ops-oncall",
        updatedVia: "control-panel",
        updateReason: "ticket #12",
      },
    ]);
  });

  it("moves the federation settings with their revision and last write", async () => {
    expect(await store.find(federationKind, "global")).toEqual({
      enabled: true,
      partnerDiscovery: false,
      archivingDisclaimer: true,
      remoteUserAccess: false,
      anonymousUserAccess: true,
      revision: 5,
      updatedAt: "2025-01-05T00:00:00.000Z",
      updatedBy: "admin",
      updatedVia: "api",
      updateReason: "federate",
    });
  });

  it("drops the old tables and seeds nothing more", async () => {
    const tables = await store.storeDatabase.db.introspection.getTables();
    const names = tables.map((table) => table.name);
    expect(names).toEqual(expect.arrayContaining(["documents", "document_keys"]));
    expect(names).not.toContain("providers");
    expect(names).not.toContain("federation");
    // AOL and Yahoo! were deleted from this store before: migrating does not bring them back.
    expect(await store.tryFind(imProviderKind, "AOL")).toBeUndefined();
  });

  it("keeps names and Access Edges unique, and revisions going on from the store's counter", async () => {
    const context = { actor: "admin", via: "api", reason: null } as const;
    await expect(
      store.put(
        imProviderKind,
        "Fabrikam Twin",
        { kind: "public", proxyFqdn: "PROXY.fabrikam.com", enabled: true },
        {},
        context,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const replaced = await store.put(
      imProviderKind,
      "fabrikam HOSTED",
      { kind: "hosted", proxyFqdn: "proxy.fabrikam.com", enabled: true },
      {},
      context,
    );
    expect(replaced).toMatchObject({
      created: false,
      record: { name: "Fabrikam Hosted", revision: 10, isLocal: false },
    });
  });
});
