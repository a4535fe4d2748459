import BetterSqlite3 from "better-sqlite3";
import { api, providerPath } from "../../helpers/api";
import { BACKENDS, sharedPostgres, startBackendStore } from "../../helpers/backend";
import type { StoreProcess } from "../../helpers/store-process";
import { makeToken } from "../../helpers/store-process";
import { readAuditSince, report } from "./reliability-helpers";

/**
 * Crash: SIGKILL the store in the middle of a burst of writes, ten times, on one database.
 * After each restart every acknowledged write (a 2xx the client received) is there, with the
 * revision it was acknowledged with and its audit entry, and the database is sound: SQLite's
 * `PRAGMA integrity_check` says ok; on PostgreSQL, amcheck finds the B-tree indexes sound and
 * the revision counter is ahead of every stored revision.
 *
 * The kill is timed by a count, never by a clock: each round waits until the burst has that many
 * acknowledged writes (with twelve clients still sending), so that every round checks some
 * acknowledged writes however slow the machine is.
 */

const ROUNDS = 10;
const WRITERS = 8;
const PATCHERS = 4;
// How many acknowledged writes of a round come before its kill: some kills land in the first
// writes, some well into the burst.
const KILL_AFTER_ACKS = [1, 12, 4, 2, 9, 6, 3, 16, 5, 8];
// How long a round may wait for its acknowledged writes: a bound on a broken store, not a pace.
const ACKS_DEADLINE_MS = 120_000;
// Per backend: eleven store starts, ten kills and the integrity checks, on a slow and busy machine.
const TEST_TIMEOUT_MS = 600_000;

interface Ack {
  readonly kind: "create" | "patch";
  readonly name: string;
  readonly reason: string;
  readonly revision: number;
  readonly autodiscoverUrl: string | undefined;
}

describe.each(BACKENDS)("SIGKILL during a burst of writes on %s", (backend) => {
  let store: StoreProcess | undefined;

  afterAll(async () => {
    await store?.stop();
  });

  it(
    `loses no acknowledged write and keeps the database sound, ${ROUNDS} times`,
    async () => {
      const token = makeToken();
      store = await startBackendStore({ backend, adminToken: token });
      const db = store.db;
      const created = await api(store, "PUT", providerPath("Crash Patched"), {
        token,
        body: { kind: "hosted", proxyFqdn: "edge.crash-patched.example.com", enabled: true },
      });
      expect(created.status).toBe(201);

      const acks: Ack[] = [];
      let attempted = 0;
      let unacknowledged = 0;
      const started = Date.now();
      for (let round = 0; round < ROUNDS; round += 1) {
        const running = store;
        const killAfter = KILL_AFTER_ACKS[round % KILL_AFTER_ACKS.length] as number;
        const roundStart = acks.length;
        let stop = false;
        let failed: unknown;
        let ended = false;
        // Writers create new providers; patchers change one shared provider with If-Match-free
        // PATCHes. A request that gets no answer (the process died) is not acknowledged.
        const writer = async (w: number) => {
          for (let n = 0; n < 10_000 && !stop; n += 1) {
            const name = `crash-${round}-${w}-${n}`;
            attempted += 1;
            try {
              const response = await api(running, "PUT", providerPath(name), {
                token,
                body: { kind: "public", proxyFqdn: `edge.${name}.example.com`, enabled: n % 2 === 0 },
                headers: { "if-none-match": "*", "x-imfed-reason": name },
              });
              if (response.status !== 201)
                throw new Error(`PUT ${name} answered ${response.status}: ${response.text}`);
              acks.push({
                kind: "create",
                name,
                reason: name,
                revision: response.body.revision,
                autodiscoverUrl: undefined,
              });
            } catch (error) {
              if (error instanceof Error && error.message.startsWith("PUT ")) throw error;
              unacknowledged += 1;
              return;
            }
          }
        };
        const patcher = async (p: number) => {
          for (let n = 0; n < 10_000 && !stop; n += 1) {
            const reason = `patch-${round}-${p}-${n}`;
            const autodiscoverUrl = `https://${reason}.example.com/autodiscover`;
            attempted += 1;
            try {
              const response = await api(running, "PATCH", providerPath("Crash Patched"), {
                token,
                body: { autodiscoverUrl },
                headers: { "x-imfed-reason": reason },
              });
              if (response.status !== 200)
                throw new Error(`PATCH answered ${response.status}: ${response.text}`);
              acks.push({
                kind: "patch",
                name: "Crash Patched",
                reason,
                revision: response.body.revision,
                autodiscoverUrl,
              });
            } catch (error) {
              if (error instanceof Error && error.message.startsWith("PATCH ")) throw error;
              unacknowledged += 1;
              return;
            }
          }
        };
        const burst = Promise.all([
          ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
          ...Array.from({ length: PATCHERS }, (_, p) => patcher(p)),
        ])
          .catch((error: unknown) => {
            failed = error;
          })
          .finally(() => {
            ended = true;
          });
        const deadline = Date.now() + ACKS_DEADLINE_MS;
        while (acks.length - roundStart < killAfter && !ended && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 5));
        await running.kill();
        stop = true;
        await burst;
        if (failed !== undefined) throw failed;
        expect(running.child.signalCode).toBe("SIGKILL");
        // Every round killed a store that had acknowledged writes (and had more under way).
        expect(acks.length - roundStart).toBeGreaterThanOrEqual(killAfter);

        if (backend === "sqlite") expect(sqliteIntegrity(db)).toEqual(["ok"]);
        else await expect(postgresIntegrity(db)).resolves.toEqual([]);

        // The folder of the killed process holds the SQLite file, so the restart reuses it.
        store = await startBackendStore({ backend, db, adminToken: token });
        await expectAcknowledgedWrites(store, token, acks);
      }
      const elapsed = Date.now() - started;
      if (backend === "sqlite") expect(sqliteIntegrity(db)).toEqual(["ok"]);
      report(`crash, ${backend}`, {
        rounds: ROUNDS,
        attempted,
        acknowledged: acks.length,
        cutOff: unacknowledged,
        ms: elapsed,
      });
    },
    TEST_TIMEOUT_MS,
  );
});

async function expectAcknowledgedWrites(
  store: StoreProcess,
  token: string,
  acks: readonly Ack[],
): Promise<void> {
  const providers = await api(store, "GET", "/v1/providers", { token });
  expect(providers.status).toBe(200);
  const byName = new Map<string, { revision: number; autodiscoverUrl?: string }>(
    providers.body.items.map((item: { name: string; revision: number }) => [item.name, item]),
  );
  const audit = await readAuditSince(store, token, 0);
  const auditByReason = new Map(audit.map((entry) => [entry.reason, entry]));
  const missing: string[] = [];
  for (const ack of acks) {
    const entry = auditByReason.get(ack.reason);
    if (entry?.after?.revision !== ack.revision) missing.push(`audit entry of ${ack.reason}`);
    if (ack.kind === "create" && byName.get(ack.name)?.revision !== ack.revision) missing.push(ack.name);
  }
  // The shared provider is at its last acknowledged PATCH, or at a later write whose answer was
  // cut off by the kill, never at an earlier one.
  const patches = acks.filter((ack) => ack.kind === "patch");
  const lastPatch = patches.at(-1);
  const patched = byName.get("Crash Patched");
  if (lastPatch !== undefined && (patched?.revision ?? 0) < lastPatch.revision)
    missing.push("the last PATCH");
  expect(missing).toEqual([]);
}

function sqliteIntegrity(file: string): string[] {
  const sqlite = new BetterSqlite3(file, { fileMustExist: true });
  try {
    return sqlite
      .prepare("pragma integrity_check")
      .all()
      .map((row) => String((row as { integrity_check: unknown }).integrity_check));
  } finally {
    sqlite.close();
  }
}

// The problems PostgreSQL's amcheck and the store's own invariants find, or none.
async function postgresIntegrity(url: string): Promise<string[]> {
  const server = await sharedPostgres();
  await server.query(url, "create extension if not exists amcheck");
  const indexes = await server.query<{ name: string }>(
    url,
    `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`,
  );
  const problems: string[] = [];
  for (const { name } of indexes) {
    try {
      await server.query(url, "select bt_index_check($1::regclass, true)", [name]);
    } catch (error) {
      problems.push(`index ${name}: ${String(error)}`);
    }
  }
  const [counter] = await server.query<{ value: number; highest: number }>(
    url,
    `select (select value from counters where name = 'revision') as value,
            (select max(revision) from documents) as highest`,
  );
  if (counter === undefined || Number(counter.value) < Number(counter.highest)) {
    problems.push(`revision counter ${counter?.value} behind the highest revision ${counter?.highest}`);
  }
  return problems;
}
