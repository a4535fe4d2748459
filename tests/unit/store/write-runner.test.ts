import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { StoreDatabase } from "../../../store/db/database";
import { openStoreDatabase } from "../../../store/db/database";
import type { WriteTransaction } from "../../../store/write-runner";
import { WriteRunner, unchanged } from "../../../store/write-runner";

// The store's write runner on a real SQLite file: writes that arrive while a commit is under
// way are committed together (group commit), each in a savepoint of its own.

const context = { actor: "admin", via: "api", reason: null } as const;
let dir: string;
let database: StoreDatabase;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "imfed-write-runner-"));
  database = await openStoreDatabase(path.join(dir, "store.db"));
});

afterEach(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function storedRevision(): Promise<number> {
  const row = await database.db
    .selectFrom("counters")
    .select("value")
    .where("name", "=", "revision")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

// A write that waits for `gate` inside its transaction, so that the writes sent meanwhile queue.
function heldWrite(runner: WriteRunner, gate: Promise<void>) {
  return runner.run(context, async (_trx, revision) => {
    await gate;
    return revision;
  });
}

test("commits the writes that arrive while a commit is under way together, in one transaction, each with its own revision", async () => {
  const runner = new WriteRunner(database.db);
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first = heldWrite(runner, gate);
  const transactions: WriteTransaction[] = [];
  const queued = Array.from({ length: 5 }, () =>
    runner.run(context, async (trx, revision) => {
      transactions.push(trx);
      return revision;
    }),
  );
  release();
  const revisions = await Promise.all([first, ...queued]);
  expect(new Set(transactions).size).toBe(1);
  expect(transactions).toHaveLength(5);
  const start = revisions[0]!;
  expect(revisions).toEqual([0, 1, 2, 3, 4, 5].map((step) => start + step));
  expect(await storedRevision()).toBe(start + 5);
});

test("commits the writes sent in one turn of the event loop together, the first one too", async () => {
  // SQLite's driver runs a whole transaction without giving the event loop a turn, so a group
  // started at once would hold only the first write of a burst of requests.
  const runner = new WriteRunner(database.db);
  const transactions: WriteTransaction[] = [];
  await Promise.all(
    Array.from({ length: 8 }, () =>
      runner.run(context, async (trx, revision) => {
        transactions.push(trx);
        return revision;
      }),
    ),
  );
  expect(transactions).toHaveLength(8);
  expect(new Set(transactions).size).toBe(1);
});

test("rolls a write that fails back alone: the other writes of its group are committed and answered", async () => {
  const runner = new WriteRunner(database.db);
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first = heldWrite(runner, gate);
  const before = runner.run(context, async (_trx, revision) => revision);
  const failing = runner.run(context, async (trx) => {
    await sql`update counters set value = value + 1000 where name = 'revision'`.execute(trx);
    throw new Error("this write fails after a statement");
  });
  const after = runner.run(context, async (_trx, revision) => revision);
  const nothing = runner.run(context, async (trx) => {
    await sql`update counters set value = value + 1000 where name = 'revision'`.execute(trx);
    return unchanged("as it was");
  });
  release();
  await expect(failing).rejects.toThrow("this write fails after a statement");
  await expect(nothing).resolves.toBe("as it was");
  const [one, two, three] = await Promise.all([first, before, after]);
  expect([two, three]).toEqual([one! + 1, one! + 2]);
  // Neither the failed write's statement nor the unchanged one's was kept, nor their revisions.
  expect(await storedRevision()).toBe(one! + 2);
});

test("answers a write only once its group is committed: a new connection reads it at once", async () => {
  const runner = new WriteRunner(database.db);
  const revisions = await Promise.all(
    Array.from({ length: 10 }, () => runner.run(context, async (_trx, revision) => revision)),
  );
  const other = await openStoreDatabase(path.join(dir, "store.db"));
  try {
    const row = await other.db
      .selectFrom("counters")
      .select("value")
      .where("name", "=", "revision")
      .executeTakeFirstOrThrow();
    expect(Number(row.value)).toBe(Math.max(...revisions));
  } finally {
    await other.close();
  }
});
