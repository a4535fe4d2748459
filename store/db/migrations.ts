import type { CreateTableBuilder, Kysely, Migration, MigrationProvider } from "kysely";
import type { DatabaseDialect } from "./database";
import { holdsSeededObjects, moveToDocuments, seedDocuments } from "./document-migration";

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
    // Seeded the providers and federation tables of 0001 until 0005_documents replaced them.
    // It does nothing now: a store that ran it keeps what it seeded (0005 moves it into
    // documents), and a new store is seeded by 0005, from the resource kinds.
    "0002_seed": {
      async up() {},
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
    // Every object of every kind in one documents table, its settings a JSON document that the
    // kind's schema validates and parses (so that a new field needs no migration), and its
    // identity and unique keys in document_keys, whose primary key is the database's UNIQUE
    // constraint on them. An existing store's providers and federation settings move in with
    // their revisions, times and last writes; a new store is seeded from the kinds.
    "0005_documents": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("documents")
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("id_key", "text", (c) => c.notNull())
          .addColumn("id", "text", (c) => c.notNull())
          .addColumn("document", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("documents_pkey", ["kind", "id_key"])
          .$call(withLastWriteColumns)
          .execute();
        await db.schema
          .createTable("document_keys")
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("field", "text", (c) => c.notNull())
          .addColumn("value_key", "text", (c) => c.notNull())
          .addColumn("id_key", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("document_keys_pkey", ["kind", "field", "value_key"])
          .addForeignKeyConstraint("document_keys_document", ["kind", "id_key"], "documents", [
            "kind",
            "id_key",
          ])
          .execute();
        // The keys of one document, read and replaced when it is written or removed.
        await db.schema
          .createIndex("document_keys_by_document")
          .on("document_keys")
          .columns(["kind", "id_key"])
          .execute();
        if (await holdsSeededObjects(db)) await moveToDocuments(db);
        else await seedDocuments(db);
        await db.schema.dropTable("providers").execute();
        await db.schema.dropTable("federation").execute();
      },
    },
    // Change-event subscriptions: each one's webhook, filter and signing secret (kept as it is,
    // since the store signs with it; never shown after its creation), and its delivery cursor,
    // the seq of the last audit entry delivered: the audit log is the outbox.
    "0006_subscriptions": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("subscriptions")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("url", "text", (c) => c.notNull())
          .addColumn("description", "text")
          .addColumn("filter", "text", (c) => c.notNull())
          .addColumn("secret", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("cursor", "integer", (c) => c.notNull())
          .addColumn("failures", "integer", (c) => c.notNull())
          .addColumn("last_error", "text")
          .addColumn("last_error_at", "text")
          .addColumn("next_attempt_at", "text")
          .addColumn("lease_owner", "text")
          .addColumn("lease_until", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("created_by", "text", (c) => c.notNull())
          .execute();
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
