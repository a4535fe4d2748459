import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";

/** A store's database opened beside the store, to read and write its tables as another program would. */
export interface RawDatabase {
  /** Runs one statement (parameters as `$1`, `$2`, ... on both backends) and returns its rows. */
  query<R extends Record<string, unknown>>(sql: string, values?: readonly unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** Opens the database of a store (a SQLite file or a `postgres://` URL) for reading and writing. */
export async function openRawDatabase(db: string): Promise<RawDatabase> {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    const client = new Client({ connectionString: db });
    await client.connect();
    return {
      query: async <R extends Record<string, unknown>>(sql: string, values: readonly unknown[] = []) =>
        (await client.query(sql, [...values])).rows as R[],
      close: () => client.end(),
    };
  }
  const sqlite = new BetterSqlite3(db, { fileMustExist: true });
  // As the store's own connections: wait for its write lock, and check foreign keys.
  sqlite.pragma("busy_timeout = 10000");
  sqlite.pragma("foreign_keys = ON");
  return {
    query: async <R extends Record<string, unknown>>(sql: string, values: readonly unknown[] = []) => {
      // SQLite's ? are positional: a $n used twice is bound twice.
      const bound: unknown[] = [];
      const text = sql.replace(/\$([0-9]+)/g, (_match, index: string) => {
        bound.push(values[Number(index) - 1]);
        return "?";
      });
      try {
        const statement = sqlite.prepare(text);
        return (statement.reader ? statement.all(...bound) : (statement.run(...bound), [])) as R[];
      } catch (error) {
        // better-sqlite3's native part makes its errors with the SqliteError of the first test
        // file that loaded it in this worker, which is no Error of this file's realm: rethrown
        // as one, so that jest sees an error.
        throw new Error(
          error instanceof Object && "message" in error ? String(error.message) : String(error),
          {
            cause: error,
          },
        );
      }
    },
    close: async () => {
      sqlite.close();
    },
  };
}
