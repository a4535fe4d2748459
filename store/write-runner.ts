import type { Kysely, Transaction } from "kysely";
import { ConflictError, ValidationError } from "../core";
import type { StoreTables } from "./db/schema";
import type { WriteContext } from "./write-context";
import { reasonProblems } from "./write-context";

/** A write transaction of the store. */
export type WriteTransaction = Transaction<StoreTables>;

// Thrown inside a write transaction to roll it back when the write changes nothing: no
// revision is taken and no audit entry is written, and the caller gets the value as it is.
class Unchanged {
  constructor(readonly value: unknown) {}
}

/**
 * Ends a write that changes nothing: its transaction is rolled back (so no revision is taken
 * and no audit entry written) and {@link WriteRunner.run} answers `value`.
 */
export function unchanged(value: unknown): never {
  throw new Unchanged(value);
}

/**
 * Runs the store's writes, each in one transaction with its audit entry. The first statement
 * takes the next store-wide revision, which also takes the write lock (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: the counter row's lock), so that writes are serialized, across store processes
 * too, and every read inside sees the latest commit.
 */
export class WriteRunner {
  constructor(private readonly db: Kysely<StoreTables>) {}

  /**
   * Runs `body` in one transaction with the write's revision. If it throws, nothing was
   * written; a unique key the database refused is a {@link ConflictError}.
   */
  async run<T>(
    context: WriteContext,
    body: (trx: WriteTransaction, revision: number) => Promise<T>,
  ): Promise<T> {
    // The API checks the reason at its header too; every writer is held to it here.
    const problems = reasonProblems(context.reason);
    if (problems.length > 0)
      throw new ValidationError(
        `the reason ${problems.map((problem) => problem.message).join(" and ")}`,
        problems,
      );
    try {
      return await this.db.transaction().execute(async (trx) => body(trx, await takeRevision(trx)));
    } catch (error) {
      if (error instanceof Unchanged) return error.value as T;
      throw translateDatabaseError(error);
    }
  }
}

async function takeRevision(trx: WriteTransaction): Promise<number> {
  const row = await trx
    .updateTable("counters")
    .set((eb) => ({ value: eb("value", "+", 1) }))
    .where("name", "=", "revision")
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

// A unique constraint can still refuse a write that the checks inside it let through (a write
// made straight on the database); that is a conflict, not a server error.
function translateDatabaseError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505") {
    return new ConflictError(
      "the write conflicts with an object written at the same time; read it again and retry",
    );
  }
  return error;
}
