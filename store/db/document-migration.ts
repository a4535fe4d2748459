import type { Kysely } from "kysely";
import type { ResourceKind } from "../../core";
import { KINDS, findKind } from "../../core";
import { documentKeysOf } from "./document-keys";
import type { CountersTable, DocumentKeysTable, DocumentsTable } from "./schema";

/**
 * What migration `0005_documents` does besides its DDL: move the rows of the tables of `0001`
 * (one table per kind, a column per field) into documents, or seed a new store's documents
 * from the kinds. The columns written are those of `0005`, named here, so that a later change
 * to the tables never changes what this migration did.
 */

// The tables as 0005 finds them: the old per-kind tables are read column by column.
interface MigrationTables {
  counters: CountersTable;
  documents: DocumentsTable;
  document_keys: DocumentKeysTable;
  providers: Record<string, unknown>;
  federation: Record<string, unknown>;
}

// The tables of 0001 and the kind each held, with the column that holds the id and its key.
const OLD_TABLES = [
  { table: "providers", kind: "ImProvider", idColumn: "name", keyColumn: "name_key" },
  { table: "federation", kind: "Federation", idColumn: "id", keyColumn: "id" },
] as const;

// The columns of 0001 that held the store's own facts about an object, not its settings.
const METADATA_COLUMNS = new Set([
  "name_key",
  "id",
  "revision",
  "created_at",
  "updated_at",
  "updated_by",
  "updated_via",
  "update_reason",
]);

/**
 * Tells whether the store was seeded before `0005` (by the old `0002_seed`, which also made
 * the revision counter): such a store's objects are moved, a new one is seeded.
 */
export async function holdsSeededObjects(db: Kysely<unknown>): Promise<boolean> {
  const counter = await (db as Kysely<MigrationTables>)
    .selectFrom("counters")
    .select("value")
    .where("name", "=", "revision")
    .executeTakeFirst();
  return counter !== undefined;
}

/**
 * Moves every row of the old tables into documents, with its revision, times and last write
 * unchanged. A row's settings are its columns other than the metadata, each named in camel case
 * (`proxy_fqdn` held `proxyFqdn`); 0001 stored booleans, and nothing else, as integers 0 and 1,
 * and an absent value as NULL. The documents are not validated here: a read parses them.
 */
export async function moveToDocuments(db: Kysely<unknown>): Promise<void> {
  const store = db as Kysely<MigrationTables>;
  for (const { table, kind: kindName, idColumn, keyColumn } of OLD_TABLES) {
    const kind = findKind(kindName);
    const rows = await store.selectFrom(table).selectAll().execute();
    for (const row of rows) {
      const settings: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (METADATA_COLUMNS.has(column) || value === null) continue;
        settings[camelCase(column)] = typeof value === "number" ? value === 1 : value;
      }
      const updatedAt = String(row.updated_at);
      await insertDocument(store, kind, String(row[keyColumn]), String(row[idColumn]), settings, {
        revision: Number(row.revision),
        created_at: row.created_at === undefined ? updatedAt : String(row.created_at),
        updated_at: updatedAt,
        updated_by: String(row.updated_by),
        updated_via: String(row.updated_via),
        update_reason: row.update_reason === null ? null : String(row.update_reason),
      });
    }
  }
}

/**
 * Seeds a new store from the kinds (docs/architecture.md): every kind's built-ins (the Lync procedure: "By default,
 * the Windows Live, AOL, and Yahoo! are available in the list, but are not enabled") and every
 * singleton's defaults, in the order of `KINDS`, each with its own revision, `updatedBy`
 * "system", `updatedVia` "api" and no audit entry; then the revision counter.
 */
export async function seedDocuments(db: Kysely<unknown>): Promise<void> {
  const store = db as Kysely<MigrationTables>;
  const now = new Date().toISOString();
  let revision = 0;
  for (const kind of KINDS) {
    const singleton = kind.singletonId === undefined ? undefined : kind.tryFindBuiltIn(kind.singletonId);
    for (const settings of singleton === undefined ? kind.builtIns : [singleton]) {
      const id = kind.idOf(settings as Readonly<Record<string, unknown>>);
      revision += 1;
      await insertDocument(store, kind, kind.keyOf(id) ?? id, id, settings, {
        revision,
        created_at: now,
        updated_at: now,
        updated_by: "system",
        updated_via: "api",
        update_reason: null,
      });
    }
  }
  await store.insertInto("counters").values({ name: "revision", value: revision }).execute();
}

async function insertDocument(
  store: Kysely<MigrationTables>,
  kind: ResourceKind,
  idKey: string,
  id: string,
  settings: object,
  facts: Omit<DocumentsTable, "kind" | "id_key" | "id" | "document">,
): Promise<void> {
  await store
    .insertInto("documents")
    .values({ kind: kind.name, id_key: idKey, id, document: JSON.stringify(settings), ...facts })
    .execute();
  await store
    .insertInto("document_keys")
    .values(
      documentKeysOf(kind, idKey, settings as Readonly<Record<string, unknown>>).map((key) => ({
        kind: kind.name,
        field: key.field,
        value_key: key.valueKey,
        id_key: idKey,
      })),
    )
    .execute();
}

function camelCase(column: string): string {
  return column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}
