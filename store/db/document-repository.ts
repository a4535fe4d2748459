import type { Kysely } from "kysely";
import type { LastWriteFacts, ResourceKind } from "../../core";
import { compareNames, validationSummary } from "../../core";
import type { WriteContext } from "../write-context";
import type { DocumentKey } from "./document-keys";
import { documentKeysOf } from "./document-keys";
import { ReusableQuery } from "./reusable-query";
import type { DocumentsTable, StoreTables } from "./schema";

/** An object as the store returns it: its settings (an absent optional one as `null`) and its metadata. */
export type StoredRecord = Readonly<Record<string, unknown>> & LastWriteFacts;

type Row = Pick<
  DocumentsTable,
  | "id"
  | "document"
  | "revision"
  | "created_at"
  | "updated_at"
  | "updated_by"
  | "updated_via"
  | "update_reason"
>;

const ROW_COLUMNS = [
  "id",
  "document",
  "revision",
  "created_at",
  "updated_at",
  "updated_by",
  "updated_via",
  "update_reason",
] as const;

// How many parsed records are kept: a read of an object that did not change since it was last
// parsed costs one indexed query and a map lookup, not a JSON and schema parse.
const MAX_CACHED_RECORDS = 4096;

interface CachedRecord {
  readonly revision: number;
  readonly updatedAt: string;
  readonly document: string;
  readonly record: StoredRecord;
}

/**
 * The documents of every resource kind in the `documents` table, with their keys in
 * `document_keys` (where the database keeps each identity and unique key unique). A document
 * is the object's settings: validated by the kind's schema before every write, and parsed with
 * it on every read, so that a field added to the kind after the document was written reads
 * back with its default. Reads run on the store's database or inside a write's transaction
 * (pass it as `db`); writes only inside one.
 */
export class DocumentRepository {
  readonly #byKey: ReusableQuery<Row>;
  readonly #cache = new Map<string, CachedRecord>();

  constructor(db: Kysely<StoreTables>) {
    // The read of every GET of an object: one lookup by the primary key, compiled once.
    this.#byKey = new ReusableQuery(
      db
        .selectFrom("documents")
        .select(ROW_COLUMNS)
        .where("kind", "=", "")
        .where("id_key", "=", "")
        .compile(),
    );
  }

  /** The object of a kind under an id key (`kind.keyOf(id)`), or `undefined`. */
  async tryFind(
    db: Kysely<StoreTables>,
    kind: ResourceKind,
    idKey: string,
  ): Promise<StoredRecord | undefined> {
    const row = (await db.executeQuery(this.#byKey.with(kind.name, idKey))).rows[0];
    return row === undefined ? undefined : this.#cachedRecordOf(kind, idKey, row);
  }

  /**
   * The objects of a kind under some id keys (those that exist), in one query, sorted by id
   * (ASCII case ignored, then code point): the batch read of many objects by identity.
   */
  async findMany(
    db: Kysely<StoreTables>,
    kind: ResourceKind,
    idKeys: readonly string[],
  ): Promise<StoredRecord[]> {
    if (idKeys.length === 0) return [];
    const rows = await db
      .selectFrom("documents")
      .select([...ROW_COLUMNS, "id_key"])
      .where("kind", "=", kind.name)
      .where("id_key", "in", [...new Set(idKeys)])
      .execute();
    return rows
      .sort((a, b) => compareNames(a.id, b.id))
      .map((row) => this.#cachedRecordOf(kind, row.id_key, row));
  }

  /** Every object of a kind, sorted by id (ASCII case ignored, then code point). */
  async list(db: Kysely<StoreTables>, kind: ResourceKind): Promise<StoredRecord[]> {
    const rows = await db
      .selectFrom("documents")
      .select([...ROW_COLUMNS, "id_key"])
      .where("kind", "=", kind.name)
      .execute();
    return rows
      .sort((a, b) => compareNames(a.id, b.id))
      .map((row) => this.#cachedRecordOf(kind, row.id_key, row));
  }

  /**
   * The object other than `exceptIdKey` that holds a unique key's value (`valueKey`, as
   * {@link documentKeysOf} folds it), or `undefined`.
   */
  async tryFindKeyHolder(
    db: Kysely<StoreTables>,
    kind: ResourceKind,
    key: DocumentKey,
    exceptIdKey: string,
  ): Promise<StoredRecord | undefined> {
    const row = await db
      .selectFrom("document_keys as k")
      .innerJoin("documents as d", (join) =>
        join.onRef("d.kind", "=", "k.kind").onRef("d.id_key", "=", "k.id_key"),
      )
      .select(["d.id_key", ...ROW_COLUMNS.map((column) => `d.${column}` as const)])
      .where("k.kind", "=", kind.name)
      .where("k.field", "=", key.field)
      .where("k.value_key", "=", key.valueKey)
      .where("k.id_key", "<>", exceptIdKey)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#cachedRecordOf(kind, row.id_key, row);
  }

  /** Stores a new object and its keys; answers it as stored. */
  async insert(
    trx: Kysely<StoreTables>,
    kind: ResourceKind,
    idKey: string,
    settings: unknown,
    revision: number,
    context: WriteContext,
  ): Promise<StoredRecord> {
    const spec = kind.parse(settings);
    const lastWrite = lastWriteColumns(revision, context);
    const row = {
      id: kind.idOf(spec),
      document: JSON.stringify(spec),
      ...lastWrite,
      created_at: lastWrite.updated_at,
    };
    await trx
      .insertInto("documents")
      .values({ kind: kind.name, id_key: idKey, ...row })
      .execute();
    await insertKeys(trx, kind, idKey, documentKeysOf(kind, idKey, spec));
    return recordOf(kind, row);
  }

  /** Replaces the settings of a stored object (`before`), and its keys where they changed; answers it as stored. */
  async update(
    trx: Kysely<StoreTables>,
    kind: ResourceKind,
    idKey: string,
    before: StoredRecord,
    settings: unknown,
    revision: number,
    context: WriteContext,
  ): Promise<StoredRecord> {
    const spec = kind.parse(settings);
    const row = await trx
      .updateTable("documents")
      .set({ document: JSON.stringify(spec), ...lastWriteColumns(revision, context) })
      .where("kind", "=", kind.name)
      .where("id_key", "=", idKey)
      .returning(ROW_COLUMNS)
      .executeTakeFirstOrThrow();
    const keys = documentKeysOf(kind, idKey, spec);
    if (!sameKeys(documentKeysOf(kind, idKey, kind.specOf(before)), keys)) {
      await deleteKeys(trx, kind, idKey);
      await insertKeys(trx, kind, idKey, keys);
    }
    return recordOf(kind, row);
  }

  /** Removes a stored object and its keys. */
  async remove(trx: Kysely<StoreTables>, kind: ResourceKind, idKey: string): Promise<void> {
    await deleteKeys(trx, kind, idKey);
    await trx.deleteFrom("documents").where("kind", "=", kind.name).where("id_key", "=", idKey).execute();
  }

  // The record of a row read from the database: parsed once per revision. Only committed rows
  // are kept (a write's own result is not), and a row is taken from the cache only while its
  // revision, last write and document are still the ones parsed.
  #cachedRecordOf(kind: ResourceKind, idKey: string, row: Row): StoredRecord {
    const cacheKey = `${kind.name}\u0000${idKey}`;
    const revision = Number(row.revision);
    const hit = this.#cache.get(cacheKey);
    if (
      hit !== undefined &&
      hit.revision === revision &&
      hit.updatedAt === row.updated_at &&
      hit.document === row.document
    ) {
      return hit.record;
    }
    const record = recordOf(kind, row);
    if (hit === undefined && this.#cache.size >= MAX_CACHED_RECORDS) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(cacheKey, { revision, updatedAt: row.updated_at, document: row.document, record });
    return record;
  }
}

/**
 * An object as the store returns it, from its row: the document parsed with the kind's schema
 * (defaults filled), every field of its variant in the definition's order (an absent optional
 * one as `null`), then `builtIn` (for a kind with built-ins), the revision, `createdAt` (for a
 * kind of many objects) and the last write.
 */
function recordOf(kind: ResourceKind, row: Row): StoredRecord {
  let document: unknown;
  try {
    document = JSON.parse(row.document);
  } catch {
    throw new Error(
      `the stored document of ${kind.describe(row.id)} is not JSON; the database was changed outside imfed`,
    );
  }
  const result = kind.validate(document);
  if (!result.ok) {
    throw new Error(
      `the stored document of ${kind.describe(row.id)} does not match its kind: ${validationSummary(kind.noun, result.details)}; the database was changed outside imfed, or by a newer version of it`,
    );
  }
  const settings = result.value as Readonly<Record<string, unknown>>;
  const record: Record<string, unknown> = {};
  for (const field of kind.fieldsOf(kind.variantOf(settings))) record[field] = settings[field] ?? null;
  if (kind.definition.builtIns !== undefined) record.builtIn = kind.isBuiltIn(settings);
  record.revision = Number(row.revision);
  if (kind.singletonId === undefined) record.createdAt = row.created_at;
  record.updatedAt = row.updated_at;
  record.updatedBy = row.updated_by;
  record.updatedVia = row.updated_via;
  record.updateReason = row.update_reason;
  return Object.freeze(record) as StoredRecord;
}

function lastWriteColumns(revision: number, context: WriteContext) {
  return {
    revision,
    updated_at: new Date().toISOString(),
    updated_by: context.actor,
    updated_via: context.via,
    update_reason: context.reason,
  };
}

function sameKeys(a: readonly DocumentKey[], b: readonly DocumentKey[]): boolean {
  return (
    a.length === b.length && a.every((key, i) => key.field === b[i]?.field && key.valueKey === b[i]?.valueKey)
  );
}

async function insertKeys(
  trx: Kysely<StoreTables>,
  kind: ResourceKind,
  idKey: string,
  keys: readonly DocumentKey[],
): Promise<void> {
  await trx
    .insertInto("document_keys")
    .values(
      keys.map((key) => ({ kind: kind.name, field: key.field, value_key: key.valueKey, id_key: idKey })),
    )
    .execute();
}

async function deleteKeys(trx: Kysely<StoreTables>, kind: ResourceKind, idKey: string): Promise<void> {
  await trx.deleteFrom("document_keys").where("kind", "=", kind.name).where("id_key", "=", idKey).execute();
}
