import type { CreateTableBuilder, Kysely, Migration, MigrationProvider } from "kysely";
import { BUILT_IN_PROVIDERS, DEFAULT_FEDERATION_SETTINGS, FEDERATION_ID, providerNameKey } from "../../core";
import type { DatabaseDialect } from "./database";
import type { StoreTables } from "./schema";

// Every stored object carries its revision and who last wrote it, when, how and why.
function withLastWriteColumns(table: CreateTableBuilder<string, never>) {
  return table
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("updated_via", "text", (c) => c.notNull())
    .addColumn("update_reason", "text");
}

/**
 * The schema's versioned migrations, in order. A migration never changes once released: a
 * change of schema is a new one. Both dialects run the same list.
 */
export function storeMigrations(dialect: DatabaseDialect): Record<string, Migration> {
  return {
    "0001_schema": {
      async up(db: Kysely<unknown>) {
        const seqColumn = dialect === "postgres" ? "serial" : "integer";
        await db.schema
          .createTable("counters")
          .addColumn("name", "text", (c) => c.primaryKey())
          .addColumn("value", "integer", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("providers")
          .addColumn("name_key", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("proxy_fqdn", "text", (c) => c.notNull().unique())
          .addColumn("enabled", "integer", (c) => c.notNull())
          .addColumn("verification_level", "text", (c) => c.notNull())
          .addColumn("enabled_shared_address_space", "integer")
          .addColumn("hosts_ocs_users", "integer")
          .addColumn("is_local", "integer")
          .addColumn("autodiscover_url", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .$call(withLastWriteColumns)
          .execute();
        await db.schema
          .createTable("federation")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("enabled", "integer", (c) => c.notNull())
          .addColumn("partner_discovery", "integer", (c) => c.notNull())
          .addColumn("archiving_disclaimer", "integer", (c) => c.notNull())
          .addColumn("remote_user_access", "integer", (c) => c.notNull())
          .addColumn("anonymous_user_access", "integer", (c) => c.notNull())
          .$call(withLastWriteColumns)
          .execute();
        await db.schema
          .createTable("tokens")
          .addColumn("name_key", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("secret_hash", "text", (c) => c.notNull().unique())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("audit")
          .addColumn("seq", seqColumn, (c) =>
            dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn("at", "text", (c) => c.notNull())
          .addColumn("actor", "text", (c) => c.notNull())
          .addColumn("via", "text", (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("target", "text", (c) => c.notNull())
          .addColumn("before", "text")
          .addColumn("after", "text")
          .addColumn("reason", "text")
          .execute();
      },
    },
    // A new store holds the three built-in public providers, present but not enabled, and the
    // federation defaults (seed: "By default, the Windows Live, AOL, and Yahoo! are available in
    // the list, but are not enabled"). Seeded objects carry updatedBy "system" and no audit entry.
    "0002_seed": {
      async up(db: Kysely<unknown>) {
        const store = db as unknown as Kysely<StoreTables>;
        const now = new Date().toISOString();
        const lastWrite = { updated_at: now, updated_by: "system", updated_via: "api", update_reason: null };
        let revision = 0;
        for (const builtIn of BUILT_IN_PROVIDERS) {
          revision += 1;
          await store
            .insertInto("providers")
            .values({
              name_key: providerNameKey(builtIn.name),
              name: builtIn.name,
              kind: builtIn.kind,
              proxy_fqdn: builtIn.proxyFqdn,
              enabled: builtIn.enabled ? 1 : 0,
              verification_level: builtIn.verificationLevel,
              enabled_shared_address_space: null,
              hosts_ocs_users: null,
              is_local: null,
              autodiscover_url: null,
              revision,
              created_at: now,
              ...lastWrite,
            })
            .execute();
        }
        revision += 1;
        const defaults = DEFAULT_FEDERATION_SETTINGS;
        await store
          .insertInto("federation")
          .values({
            id: FEDERATION_ID,
            enabled: defaults.enabled ? 1 : 0,
            partner_discovery: defaults.partnerDiscovery ? 1 : 0,
            archiving_disclaimer: defaults.archivingDisclaimer ? 1 : 0,
            remote_user_access: defaults.remoteUserAccess ? 1 : 0,
            anonymous_user_access: defaults.anonymousUserAccess ? 1 : 0,
            revision,
            ...lastWrite,
          })
          .execute();
        await store.insertInto("counters").values({ name: "revision", value: revision }).execute();
      },
    },
    // The Control Panel's sessions live in the database, so that a restart keeps them and every
    // store process on one PostgreSQL honours them. The indexes serve the per-token cap and the
    // ending of a revoked token's sessions (token_hash), and the purge of expired ones (expires_at).
    "0003_sessions": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("sessions")
          .addColumn("id_hash", "text", (c) => c.primaryKey())
          .addColumn("token_hash", "text", (c) => c.notNull())
          .addColumn("csrf_token", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("last_seen_at", "text", (c) => c.notNull())
          .addColumn("expires_at", "text", (c) => c.notNull())
          .addColumn("flash_kind", "text")
          .addColumn("flash_message", "text")
          .execute();
        await db.schema
          .createIndex("sessions_token_hash")
          .on("sessions")
          .columns(["token_hash", "created_at"])
          .execute();
        await db.schema.createIndex("sessions_expires_at").on("sessions").column("expires_at").execute();
      },
    },
  };
}

/** Serves {@link storeMigrations} to kysely's Migrator. */
export class StoreMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: DatabaseDialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return storeMigrations(this.dialect);
  }
}
