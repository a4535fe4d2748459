import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Compilable, Kysely } from "kysely";
import { CompiledQuery, sql } from "kysely";
import type { StoreDatabase, TopologyStore } from "../../../store";
import { AuditRetention, openTopologyStore } from "../../../store";
import { RecentAudit } from "../../../store/control-panel/recent-audit";
import {
  auditPageQuery,
  deleteAuditThroughQuery,
  newestAuditSeqQuery,
  oldestAuditQuery,
  recentAuditQuery,
} from "../../../store/db/audit-queries";
import type { StoreTables } from "../../../store/db/schema";
import { api } from "../../helpers/api";
import type { Backend } from "../../helpers/backend";
import { BACKENDS, sharedPostgres, startBackendStore } from "../../helpers/backend";
import type { StoreProcess } from "../../helpers/store-process";

/**
 * The audit log's work is bounded: every read walks the primary key and stops at a LIMIT
 * (checked with each database's EXPLAIN on a log of many entries), and a retention setting
 * removes old entries in small batches, from the oldest end only, never an entry at or above
 * the lowest `seq` a reader still needs. Entries are inserted straight into the database (a
 * bounded count, in one statement), as a store that ran for a long time would hold them.
 */

const MANY = 20_000;
const OLD = "2020-01-01T00:00:00.000Z";

/** Appends `count` audit entries written at `at`, in one statement; returns the last `seq`. */
async function insertEntries(database: StoreDatabase, count: number, at: string): Promise<number> {
  const db = database.db;
  const snapshot = JSON.stringify({ name: "Bulk", enabled: true, padding: "x".repeat(200) });
  if (database.dialect === "sqlite") {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
      insert into audit (at, actor, via, action, target, before, after, reason)
      select ${at}, 'bulk', 'api', 'update', 'provider/Bulk ' || i, ${snapshot}, ${snapshot}, null from n`.execute(
      db,
    );
  } else {
    await sql`insert into audit (at, actor, via, action, target, before, after, reason)
      select ${at}, 'bulk', 'api', 'update', 'provider/Bulk ' || i, ${snapshot}, ${snapshot}, null
      from generate_series(1, ${count}::integer) as i`.execute(db);
    await sql`analyze audit`.execute(db);
  }
  return Number((await newestAuditSeqQuery(db).executeTakeFirstOrThrow()).seq);
}

async function seqRange(db: Kysely<StoreTables>): Promise<{ oldest: number; newest: number; count: number }> {
  const row = await db
    .selectFrom("audit")
    .select((eb) => [
      eb.fn.min("seq").as("oldest"),
      eb.fn.max("seq").as("newest"),
      eb.fn.countAll().as("count"),
    ])
    .executeTakeFirstOrThrow();
  return { oldest: Number(row.oldest), newest: Number(row.newest), count: Number(row.count) };
}

async function openBackend(backend: Backend, dir: string): Promise<TopologyStore> {
  const location =
    backend === "sqlite"
      ? path.join(dir, "store.db")
      : await (await sharedPostgres()).createDatabase("audit");
  return openTopologyStore(location);
}

interface SqlitePlan {
  readonly details: string[];
  readonly opcodes: string[];
}

async function sqlitePlan(db: Kysely<StoreTables>, query: Compilable): Promise<SqlitePlan> {
  const { sql: text, parameters } = query.compile();
  const plan = await db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${text}`, [...parameters]),
  );
  const code = await db.executeQuery<{ opcode: string }>(
    CompiledQuery.raw(`explain ${text}`, [...parameters]),
  );
  return { details: plan.rows.map((row) => row.detail), opcodes: code.rows.map((row) => row.opcode) };
}

interface PostgresNode {
  readonly "Node Type": string;
  readonly "Index Name"?: string;
  readonly "Actual Rows"?: number;
  readonly Plans?: PostgresNode[];
}

async function postgresPlan(
  db: Kysely<StoreTables>,
  query: Compilable,
  analyze: boolean,
): Promise<PostgresNode> {
  const { sql: text, parameters } = query.compile();
  const result = await db.executeQuery<{ "QUERY PLAN": { Plan: PostgresNode }[] }>(
    CompiledQuery.raw(`explain (${analyze ? "analyze, " : ""}format json) ${text}`, [...parameters]),
  );
  const plan = result.rows[0]?.["QUERY PLAN"][0]?.Plan;
  if (plan === undefined) throw new Error(`no plan for ${text}`);
  return plan;
}

function nodesOf(node: PostgresNode): PostgresNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

describe.each(BACKENDS)("the audit log on %s", (backend) => {
  let dir: string;
  let store: TopologyStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-audit-"));
    store = await openBackend(backend, dir);
  });

  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`reads every page by the primary key and stops at its LIMIT, with ${MANY} entries`, async () => {
    const db = store.storeDatabase.db;
    const newest = await insertEntries(store.storeDatabase, MANY, OLD);
    const reads: readonly [string, Compilable, number][] = [
      ["the Control Panel's recent view", recentAuditQuery(db, 100), 100],
      ["a page of GET /v1/audit", auditPageQuery(db, newest - MANY / 2, 1000), 1000],
      ["retention's oldest batch", oldestAuditQuery(db, 250), 250],
      ["retention's newest seq", newestAuditSeqQuery(db), 1],
    ];
    for (const [what, query, limit] of reads) {
      expect([what, query.compile().sql]).toEqual([what, expect.stringMatching(/ limit (\?|\$\d+)$/)]);
      if (backend === "sqlite") {
        const plan = await sqlitePlan(db, query);
        // One walk of the table's rowid (its INTEGER PRIMARY KEY), in order, with no sort...
        expect([what, plan.details]).toEqual([
          what,
          [expect.stringMatching(/^(SCAN audit|SEARCH audit USING INTEGER PRIMARY KEY \(rowid>\?\))$/)],
        ]);
        expect([what, plan.opcodes]).toEqual([
          what,
          expect.not.arrayContaining(["SorterOpen", "OpenEphemeral"]),
        ]);
        // ...that the LIMIT's counter ends.
        expect([what, plan.opcodes]).toEqual([what, expect.arrayContaining(["DecrJumpZero"])]);
      } else {
        const plan = await postgresPlan(db, query, true);
        const nodes = nodesOf(plan);
        expect([what, plan["Node Type"]]).toEqual([what, "Limit"]);
        const scan = nodes.find((node) => node["Node Type"].startsWith("Index"));
        expect([what, scan?.["Index Name"]]).toEqual([what, "audit_pkey"]);
        expect([
          what,
          nodes.some((node) => node["Node Type"] === "Sort" || node["Node Type"] === "Seq Scan"),
        ]).toEqual([what, false]);
        // The rows the scan actually read: no more than the page.
        expect([what, (scan?.["Actual Rows"] ?? Infinity) <= limit]).toEqual([what, true]);
      }
    }
    // Retention's removal is a range of the primary key too.
    const removal = deleteAuditThroughQuery(db, newest - MANY + 250);
    if (backend === "sqlite") {
      expect((await sqlitePlan(db, removal)).details).toEqual([
        "SEARCH audit USING INTEGER PRIMARY KEY (rowid<?)",
      ]);
    } else {
      const nodes = nodesOf(await postgresPlan(db, removal, false));
      expect(nodes.map((node) => node["Index Name"]).filter(Boolean)).toEqual(["audit_pkey"]);
    }
  });

  it("shows the Control Panel the newest 100 entries, oldest first, of a long log", async () => {
    const newest = await insertEntries(store.storeDatabase, MANY, OLD);
    const recent = await new RecentAudit(store).recent();
    expect(recent.map((entry) => entry.seq)).toEqual(Array.from({ length: 100 }, (_, i) => newest - 99 + i));
    expect(recent.at(-1)).toMatchObject({ actor: "bulk", action: "update", after: { name: "Bulk" } });
  });

  it("removes entries beyond the newest N in batches, and keeps the newest N", async () => {
    const newest = await insertEntries(store.storeDatabase, 3_000, new Date().toISOString());
    const retention = new AuditRetention(store.storeDatabase, { maxEntries: 1_000, batchSize: 100 });
    expect(await retention.pruneNow()).toBe(newest - 1_000);
    expect(await seqRange(store.storeDatabase.db)).toEqual({ oldest: newest - 999, newest, count: 1_000 });
    expect(await retention.pruneNow()).toBe(0);
  });

  it("removes entries older than the age from the oldest end, and keeps the younger ones", async () => {
    const db = store.storeDatabase.db;
    // The store's own first entries (its bootstrap) are older still.
    await db.updateTable("audit").set({ at: "2019-01-01T00:00:00.000Z" }).execute();
    const lastOld = await insertEntries(store.storeDatabase, 2_000, OLD);
    const newest = await insertEntries(store.storeDatabase, 500, new Date().toISOString());
    const retention = new AuditRetention(store.storeDatabase, { maxAgeDays: 30, batchSize: 250 });
    await retention.pruneNow();
    expect(await seqRange(db)).toEqual({ oldest: lastOld + 1, newest, count: 500 });
  });

  it("never removes an entry at or above the lowest seq a reader still needs", async () => {
    const newest = await insertEntries(store.storeDatabase, 2_000, OLD);
    let needed: number | undefined = newest - 1_500;
    const retention = new AuditRetention(store.storeDatabase, {
      maxEntries: 10,
      batchSize: 300,
      lowestSeqNeeded: () => needed,
    });
    await retention.pruneNow();
    expect(await seqRange(store.storeDatabase.db)).toEqual({ oldest: newest - 1_500, newest, count: 1_501 });
    // The reader moves on: what it no longer needs goes, down to the count limit.
    needed = undefined;
    await retention.pruneNow();
    expect(await seqRange(store.storeDatabase.db)).toEqual({ oldest: newest - 9, newest, count: 10 });
  });

  it("removes nothing without a limit", async () => {
    const newest = await insertEntries(store.storeDatabase, 1_000, OLD);
    const retention = new AuditRetention(store.storeDatabase, {});
    expect(retention.enabled).toBe(false);
    expect(await retention.pruneNow()).toBe(0);
    expect((await seqRange(store.storeDatabase.db)).newest).toBe(newest);
  });
});

describe.each(BACKENDS)("imfed serve's audit retention on %s", (backend) => {
  let running: StoreProcess | undefined;

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  async function waitForOldest(store: StoreProcess, expected: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const page = await api(store, "GET", "/v1/audit?limit=1", { token: store.adminToken });
      if (page.body.items[0]?.seq === expected) return;
      if (Date.now() > deadline) {
        throw new Error(
          `the oldest entry is ${JSON.stringify(page.body.items[0]?.seq)}, not ${expected}:\n${store.output()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it("removes what --audit-retention-days and IMFED_AUDIT_RETENTION_ENTRIES name in the background, keeping the newest", async () => {
    const first = await startBackendStore({ backend });
    await first.terminate();
    // Straight into the database while the store is down: a long history, old then recent.
    const database = await openTopologyStore(first.db);
    let lastOld: number;
    let newest: number;
    try {
      await database.storeDatabase.db.updateTable("audit").set({ at: OLD }).execute();
      lastOld = await insertEntries(database.storeDatabase, 8_000, OLD);
      newest = await insertEntries(database.storeDatabase, 2_000, new Date().toISOString());
    } finally {
      await database.close();
    }

    running = await startBackendStore({
      backend,
      db: first.db,
      adminToken: first.adminToken,
      args: ["--audit-retention-days", "30"],
    });
    expect(running.output()).toContain("Audit retention: entries older than 30 days are removed");
    await waitForOldest(running, lastOld + 1);
    expect((await api(running, "GET", "/healthz")).status).toBe(200);
    await running.stop();

    running = await startBackendStore({
      backend,
      db: first.db,
      adminToken: first.adminToken,
      env: { IMFED_AUDIT_RETENTION_ENTRIES: "500" },
    });
    await waitForOldest(running, newest - 499);
    const tail = await api(running, "GET", `/v1/audit?after=${newest - 1}`, { token: running.adminToken });
    expect(tail.body.items.map((entry: { seq: number }) => entry.seq)).toEqual([newest]);
    expect(running.output()).toContain("audit retention removed old entries");
    await running.stop();
    running = undefined;
    await first.stop();
  }, 120_000);

  it("refuses a retention that is not a whole number of at least 1, with exit code 2", async () => {
    for (const value of ["0", "-1", "30d", "1.5"]) {
      await expect(startBackendStore({ backend, args: ["--audit-retention-days", value] })).rejects.toThrow(
        /exited with 2 [^]*--audit-retention-days must be a whole number of at least 1/,
      );
    }
  });

  it("says at start that retention is off by default", async () => {
    running = await startBackendStore({ backend });
    expect(running.output()).toContain("Audit retention: off, every entry is kept");
  });
});
