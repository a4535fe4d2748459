import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
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

/** The most writes committed together in one transaction (a bound on how long one holds the write lock). */
export const MAX_WRITES_PER_COMMIT = 64;

interface PendingWrite {
  readonly body: (trx: WriteTransaction, revision: number) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Runs the store's writes, each with its audit entry, committed as a group: the writes that
 * arrive while a commit is under way wait for it, then are committed together in one
 * transaction (group commit), each in a savepoint of its own. A durable commit costs a sync of
 * the disk (SQLite's WAL with synchronous=FULL, PostgreSQL's WAL), so a burst of concurrent
 * writes pays one sync per group rather than one each, and durability is unchanged: a write
 * is answered only once its group's commit returned. A write that fails (or changes nothing)
 * is rolled back to its savepoint and the others go on; a commit that fails fails every write
 * of its group, none of which was then written. Each write's first statement takes the next
 * store-wide revision, which also takes the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 * the counter row's lock), so that writes are serialized, across store processes too, and
 * every read inside sees the latest commit and the earlier writes of its group.
 */
export class WriteRunner {
  #queue: PendingWrite[] = [];
  #committing = false;

  constructor(private readonly db: Kysely<StoreTables>) {}

  /**
   * Runs `body` with the write's revision, in the transaction of its group, and answers once
   * that is committed. If it throws, nothing of it was written; a unique key the database
   * refused is a {@link ConflictError}.
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
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
      if (this.#committing) return;
      this.#committing = true;
      void this.#commitQueued();
    });
  }

  // Commits the queued writes, a group at a time, until none is left. Before each group it
  // lets the event loop take the requests that arrived (setImmediate runs after the loop's
  // I/O callbacks): SQLite's driver is synchronous, so a transaction, its sync of the disk
  // included, runs without giving the loop a turn, and without that yield every group would
  // hold one write, the first whose request was read.
  async #commitQueued(): Promise<void> {
    try {
      do {
        await new Promise((resolve) => setImmediate(resolve));
        await this.#commitGroup(this.#queue.splice(0, MAX_WRITES_PER_COMMIT));
      } while (this.#queue.length > 0);
    } finally {
      this.#committing = false;
    }
  }

  async #commitGroup(group: readonly PendingWrite[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const write of group) outcomes.push(await runInSavepoint(trx, write));
      });
    } catch (error) {
      const failure = translateDatabaseError(error);
      for (const write of group) write.reject(failure);
      return;
    }
    group.forEach((write, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok === true) write.resolve(outcome.value);
      else write.reject(outcome?.error);
    });
  }
}

// One write of a group: its statements in a savepoint, rolled back to it if it throws (or
// changes nothing), so that the group's other writes are committed as if it had not run.
async function runInSavepoint(trx: WriteTransaction, write: PendingWrite): Promise<Outcome> {
  await sql`savepoint imfed_write`.execute(trx);
  try {
    const value = await write.body(trx, await takeRevision(trx));
    await sql`release savepoint imfed_write`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint imfed_write`.execute(trx);
    await sql`release savepoint imfed_write`.execute(trx);
    if (error instanceof Unchanged) return { ok: true, value: error.value };
    return { ok: false, error: translateDatabaseError(error) };
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
