import { existsSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { DatabaseConnection, SqliteDatabase } from "kysely";
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
} from "kysely";
import { Pool } from "pg";
import { StoreMigrationProvider } from "./migrations";
import {
  assertPrivateFolder,
  ensurePrivateFolder,
  tightenFileModes,
  tryCreatePrivateFile,
} from "./private-files";
import type { StoreTables } from "./schema";

/** The database engines the store runs on. */
export type DatabaseDialect = "sqlite" | "postgres";

/** An open, migrated store database. */
export interface StoreDatabase {
  readonly db: Kysely<StoreTables>;
  readonly dialect: DatabaseDialect;
  /** Where the data lives, fit to print: the SQLite file's absolute path, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** The SQLite file's absolute path; `undefined` on PostgreSQL. */
  readonly sqliteFile: string | undefined;
  close(): Promise<void>;
}

/** How {@link openStoreDatabase} treats a database or a folder that does not exist yet. */
export interface OpenStoreOptions {
  /**
   * Creates the SQLite file's folder (mode 0700, not the folders above it) when it is missing.
   * Only the default `.imfed/` is created so: an explicit path whose folder is missing is most
   * likely a typo, which must not silently start a new, empty store. Default `false`.
   */
  readonly createFolder?: boolean;
  /**
   * Opens only a database that already holds a store: never creates a file or a schema
   * (`imfed token --db`, where a typo must not make a new store and print its token).
   * Default `false`.
   */
  readonly mustExist?: boolean;
}

/** Tells whether a `--db` value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

// SQLite's deferred BEGIN takes the write lock only at the first write, so two processes that
// read first would deadlock on upgrade (SQLITE_BUSY without waiting). BEGIN IMMEDIATE takes it
// at once and waits for it under busy_timeout (https://www.sqlite.org/lang_transaction.html).
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

// kysely prepares every statement anew; the store runs a few fixed query shapes, so their
// prepared statements are kept (better-sqlite3 statements are reusable once a call returns).
const MAX_CACHED_STATEMENTS = 256;

function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (statements.size < MAX_CACHED_STATEMENTS) statements.set(sql, statement);
      }
      return statement;
    },
  };
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase) {
    super({ database });
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver({ database: this.database });
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

// kysely's SQLite adapter takes no migration lock (it assumes one connection) and runs each
// migration outside a transaction, so two processes starting on a new file both ran
// "0001_schema" and one failed with "table already exists" (found by
// tests/integration/reliability/concurrency.test.ts). SQLite's DDL is transactional
// (https://www.sqlite.org/lang_transaction.html), so the migrations run in one transaction,
// begun IMMEDIATE as every transaction here: the first process holds the write lock until
// its migrations commit, and the others wait (busy_timeout) and then find nothing to do.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Opens the store's database and brings its schema up to date: a SQLite file or a `postgres://`
 * URL. On a new database the migrations also seed the built-in providers and the federation
 * defaults. A SQLite file lives in a folder only its owner may write, and is created and
 * kept readable by its owner only (0600; SQLite gives its `-wal` and `-shm` files the
 * database's mode); see {@link OpenStoreOptions} for what is created when missing.
 */
export async function openStoreDatabase(
  location: string,
  options: OpenStoreOptions = {},
): Promise<StoreDatabase> {
  const store = isPostgresUrl(location) ? openPostgres(location) : openSqlite(location, options);
  try {
    if (options.mustExist === true && !(await holdsStore(store))) {
      throw new Error(
        `${store.location} holds no imfed store; check the path or URL (--db or IMFED_DB), or start "imfed serve" on it once to make a new store`,
      );
    }
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

// A store's database has kysely's migration table from its first start on.
async function holdsStore(store: StoreDatabase): Promise<boolean> {
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  return tables.some((table) => table.name === "kysely_migration");
}

function openSqlite(file: string, options: OpenStoreOptions): StoreDatabase {
  const absolute = path.resolve(file);
  const folder = path.dirname(absolute);
  if (!existsSync(folder)) {
    if (options.createFolder !== true || !existsSync(path.dirname(folder))) {
      throw new Error(
        `the folder "${folder}" of the database "${absolute}" does not exist; check the path (--db or IMFED_DB) for a typo, or create the folder first (mkdir -m 700 '${folder}')`,
      );
    }
    ensurePrivateFolder(folder);
  } else if (options.createFolder === true) {
    ensurePrivateFolder(folder);
  }
  assertPrivateFolder(folder, "the store's database");
  if (!existsSync(absolute)) {
    if (options.mustExist === true) {
      throw new Error(
        `there is no store at "${absolute}"; check the path (--db or IMFED_DB), or start "imfed serve" on it once to make a new store`,
      );
    }
    // Created here, exclusively and 0600, rather than by SQLite (0644 less the umask), so that
    // the database and the -wal and -shm files SQLite makes beside it are private from the start.
    tryCreatePrivateFile(absolute);
  }
  // A database made by an older imfed, or copied in, may be readable by others: it is made
  // private rather than refused, as its owner is the one starting the store.
  tightenFileModes([absolute, `${absolute}-wal`, `${absolute}-shm`, `${absolute}-journal`]);
  const sqlite = new BetterSqlite3(absolute, { fileMustExist: true });
  // WAL lets readers go on during a write. synchronous=FULL syncs the WAL at every commit, so an
  // acknowledged write survives a power loss too, not only a crash of the process
  // (https://www.sqlite.org/pragma.html#pragma_synchronous).
  // busy_timeout first: switching a new file to WAL takes a lock that another process starting
  // at the same moment may hold.
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<StoreTables>({ dialect: new ImmediateSqliteDialect(withStatementCache(sqlite)) });
  return {
    db,
    dialect: "sqlite",
    location: absolute,
    sqliteFile: absolute,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): StoreDatabase {
  // A connection that cannot be made in 5 s is a failed request (and /readyz says 503), not a
  // request that waits for ever. pg's default is to wait without limit.
  const pool = new Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    application_name: "imfed",
  });
  // An idle connection that the server ends (a restart, a failover) is reported on the pool;
  // without a listener that event would end the process. The pool drops it and connects anew.
  pool.on("error", (error) => {
    process.emitWarning(`a PostgreSQL connection of the store was closed: ${error.message}`);
  });
  const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    location: withoutPassword(url),
    sqliteFile: undefined,
    close: () => db.destroy(),
  };
}

/** A database URL fit to print: its password replaced by `***`. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}

async function migrate(store: StoreDatabase): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: new StoreMigrationProvider(store.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(
      `could not migrate the store database ${store.location}${failed ? ` (migration ${failed.migrationName})` : ""}: ${String(error)}`,
      { cause: error },
    );
  }
}
