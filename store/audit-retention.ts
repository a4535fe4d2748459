import { setImmediate as nextTurn } from "node:timers/promises";
import { deleteAuditThroughQuery, newestAuditSeqQuery, oldestAuditQuery } from "./db/audit-queries";
import type { StoreDatabase } from "./db/database";

/**
 * The lowest audit `seq` that someone still needs, or `undefined` when nobody needs any. A
 * reader that follows the log (a change-events subscriber) passes the `seq` after its cursor,
 * so that retention never removes an entry it has yet to read.
 */
export type LowestSeqNeeded = () => number | undefined | Promise<number | undefined>;

/** Options of {@link AuditRetention}; without `maxAgeDays` and `maxEntries` it removes nothing. */
export interface AuditRetentionOptions {
  /** Entries written more than this many days ago are removed. */
  readonly maxAgeDays?: number;
  /**
   * Only the newest this many sequence numbers are kept: an entry whose `seq` is this many or
   * more below the newest one is removed (so at most this many entries stay).
   */
  readonly maxEntries?: number;
  /** Never remove an entry at or above the `seq` this returns (see {@link LowestSeqNeeded}); default: none needed. */
  readonly lowestSeqNeeded?: LowestSeqNeeded;
  /** The entries one statement removes at most; default {@link AUDIT_RETENTION_BATCH}. */
  readonly batchSize?: number;
  /** The time between two rounds, in milliseconds; default {@link AUDIT_RETENTION_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** Told of the entries each round removed (only when it removed some). */
  readonly onPruned?: (removed: number) => void;
  /** Told of a round that failed (the next round tries again). */
  readonly onError?: (error: unknown) => void;
}

/** The entries one retention statement removes at most. */
export const AUDIT_RETENTION_BATCH = 250;

/** The time between two retention rounds: one minute. */
export const AUDIT_RETENTION_INTERVAL_MS = 60_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps the audit log within a retention setting, in the background: a round at start and
 * then every {@link AuditRetentionOptions.intervalMs}, each made of small statements (read the
 * oldest batch by the primary key, remove the prefix of it that is due) with a turn of the
 * event loop between them, so a request never waits behind more than one small statement
 * (better-sqlite3 runs each statement on the event loop). Entries are only ever removed from
 * the oldest end, and never at or above {@link AuditRetentionOptions.lowestSeqNeeded}. Several
 * store processes on one database may each run it: removing what another removed is a no-op.
 */
export class AuditRetention {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly database: StoreDatabase,
    private readonly options: AuditRetentionOptions,
  ) {
    for (const [name, value] of [
      ["maxAgeDays", options.maxAgeDays],
      ["maxEntries", options.maxEntries],
    ] as const) {
      if (value !== undefined && !(value > 0)) {
        throw new RangeError(`audit retention ${name} must be a positive number, not ${value}`);
      }
    }
    this.batchSize = options.batchSize ?? AUDIT_RETENTION_BATCH;
    this.intervalMs = options.intervalMs ?? AUDIT_RETENTION_INTERVAL_MS;
  }

  /** Tells whether a limit is set; without one, {@link start} does nothing. */
  get enabled(): boolean {
    return this.options.maxAgeDays !== undefined || this.options.maxEntries !== undefined;
  }

  /** Runs a round now and then one every interval, until {@link stop}. */
  start(): void {
    if (!this.enabled || this.timer !== undefined || this.stopped) return;
    const tick = () => {
      void this.pruneNow()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops the rounds and waits for the one under way, which ends after its current statement. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.round?.catch(() => undefined);
  }

  /**
   * Runs one round now (or joins the one under way): removes every entry that is due, batch
   * by batch, and resolves to how many it removed.
   */
  pruneNow(): Promise<number> {
    this.round ??= this.pruneAll().finally(() => (this.round = undefined));
    return this.round;
  }

  private async pruneAll(): Promise<number> {
    let removed = 0;
    while (!this.stopped) {
      const batch = await this.pruneBatch();
      removed += batch;
      if (batch < this.batchSize) break;
      // Let the requests that arrived meanwhile go first.
      await nextTurn();
    }
    if (removed > 0) this.options.onPruned?.(removed);
    return removed;
  }

  private async pruneBatch(): Promise<number> {
    if (!this.enabled) return 0;
    const db = this.database.db;
    const floor = await this.options.lowestSeqNeeded?.();
    const oldest = await oldestAuditQuery(db, this.batchSize).execute();
    if (oldest.length === 0) return 0;
    const { maxAgeDays, maxEntries } = this.options;
    const bornBefore =
      maxAgeDays === undefined ? undefined : new Date(Date.now() - maxAgeDays * DAY_MS).toISOString();
    let lastDue: number | undefined;
    let newest: number | undefined;
    for (const row of oldest) {
      const seq = Number(row.seq);
      if (floor !== undefined && seq >= floor) break;
      let due = bornBefore !== undefined && row.at < bornBefore;
      if (!due && maxEntries !== undefined) {
        newest ??= Number((await newestAuditSeqQuery(db).executeTakeFirst())?.seq ?? 0);
        due = seq <= newest - maxEntries;
      }
      // Entries are removed from the oldest end only: the first one not due ends the batch.
      if (!due) break;
      lastDue = seq;
    }
    if (lastDue === undefined) return 0;
    const result = await deleteAuditThroughQuery(db, lastDue).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
