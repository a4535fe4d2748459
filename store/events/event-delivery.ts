import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { AuditEntry } from "../../core";
import { auditEntryOf } from "../audit-log";
import { auditPageQuery } from "../db/audit-queries";
import type { StoreDatabase } from "../db/database";
import type { StoreTables, SubscriptionsTable } from "../db/schema";
import { changeEventOf, objectOfTarget } from "./change-event";
import type { SubscriptionFilter } from "./subscription";
import type { WebhookLimits } from "./webhook-sender";
import { DEFAULT_WEBHOOK_LIMITS, postWebhook } from "./webhook-sender";
import { webhookHeaders } from "./webhook-signature";
import type { WebhookPolicy } from "./webhook-url";

/** How the store retries and when it gives up on a subscription. */
export interface RetrySettings {
  /** The wait after the first failure, in ms; it doubles with each failure in a row. */
  readonly initialMs: number;
  /** The longest wait between two attempts, in ms. */
  readonly maxMs: number;
  /** Failures in a row after which the subscription is paused until an administrator resumes it. */
  readonly failureLimit: number;
}

/**
 * Ten seconds, doubling up to an hour, and paused after 15 failures in a row: about eight hours
 * of a receiver that is down (Standard Webhooks' schedule spans about a day and a half; Stripe's
 * three days).
 */
export const DEFAULT_RETRY: RetrySettings = { initialMs: 10_000, maxMs: 3_600_000, failureLimit: 15 };

/** Options of {@link EventDelivery}. */
export interface EventDeliveryOptions {
  readonly policy: WebhookPolicy;
  readonly retry?: RetrySettings;
  readonly limits?: WebhookLimits;
  /** How often the subscriptions are looked at for new entries, in ms; default one second. */
  readonly pollIntervalMs?: number;
  /** Told of each delivery that failed (never with the secret or the headers). */
  readonly onFailure?: (subscription: string, seq: number, error: string, paused: boolean) => void;
  /** Told of each delivery the receiver took (never with the secret or the headers). */
  readonly onDelivered?: (subscription: string, seq: number, deliveryId: string) => void;
  /** Told of a round that failed (the next one tries again). */
  readonly onError?: (error: unknown) => void;
}

/** The entries read after a cursor at once. */
const PAGE = 100;
/** Deliveries made at once by one process (each holds a database connection on PostgreSQL). */
const CONCURRENCY = 4;

type Row = Selectable<SubscriptionsTable>;

/** The id of the delivery of an entry to a subscription: the same on every retry, so a receiver can drop duplicates. */
export function deliveryIdOf(subscription: string, seq: number): string {
  return `msg_${subscription}_${seq}`;
}

/** Tells whether an entry passes a subscription's filter. */
export function passes(filter: SubscriptionFilter, entry: AuditEntry): boolean {
  if (filter.via !== undefined && !filter.via.includes(entry.via)) return false;
  if (filter.kinds !== undefined) {
    const kind = objectOfTarget(entry.target)?.kind.name;
    if (kind === undefined || !filter.kinds.includes(kind)) return false;
  }
  if (filter.driftOnly === true && !changeEventOf(entry).drift) return false;
  return true;
}

/** The wait before the next attempt after `failures` failures in a row: exponential, capped, with full jitter's upper half. */
export function backoffMs(retry: RetrySettings, failures: number): number {
  const exponential = Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(failures - 1, 30));
  // Jitter spreads the retries of many subscriptions (AWS Architecture Blog, "Exponential
  // Backoff And Jitter"); half the delay is kept so a retry never comes at once.
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}

/**
 * Delivers the audit log to the subscriptions, in the background: at least once and in order
 * per subscription. The audit log is the outbox and each subscription's `cursor` (the last
 * entry delivered) moves only after a 2xx, so a restart, a crash or a receiver that is down
 * loses nothing: delivery resumes at the cursor. On PostgreSQL each delivery holds the
 * subscription's row lock (`FOR UPDATE SKIP LOCKED`) and moves the cursor in the same
 * transaction, so several store processes deliver each entry once per subscription; on SQLite
 * a process claims the subscription for a bounded lease around each delivery instead.
 */
export class EventDelivery {
  readonly #db: Kysely<StoreTables>;
  readonly #retry: RetrySettings;
  readonly #limits: WebhookLimits;
  readonly #interval: number;
  readonly #busy = new Set<string>();
  /** This process's name in SQLite claims. */
  readonly #owner = randomUUID();
  /** How long a SQLite claim holds: longer than any delivery can take. */
  readonly #leaseMs: number;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly database: StoreDatabase,
    private readonly options: EventDeliveryOptions,
  ) {
    this.#db = database.db;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#limits = options.limits ?? DEFAULT_WEBHOOK_LIMITS;
    this.#interval = options.pollIntervalMs ?? 1000;
    this.#leaseMs = this.#limits.timeoutMs + 30_000;
  }

  /**
   * The lowest audit `seq` the active subscriptions still need (the entry after the lowest
   * cursor), for audit retention, or `undefined` when there is no active subscription.
   */
  async lowestSeqNeeded(): Promise<number | undefined> {
    const row = await this.#db
      .selectFrom("subscriptions")
      .select((eb) => eb.fn.min("cursor").as("lowest"))
      .where("state", "=", "active")
      .executeTakeFirst();
    return row?.lowest === null || row?.lowest === undefined ? undefined : Number(row.lowest) + 1;
  }

  /** Starts the rounds: one now, then one every poll interval, until {@link stop}. */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    const tick = () => {
      this.#round = this.deliverNow()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.#round = undefined;
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#interval).unref();
        });
    };
    this.#timer = setTimeout(tick, 0).unref();
  }

  /** Stops the rounds and waits for the one under way (its deliveries are bounded by their timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#round;
  }

  /** One round: every active subscription whose next attempt is due gets what it has not had yet. */
  async deliverNow(): Promise<void> {
    const now = new Date().toISOString();
    const due = await this.#db
      .selectFrom("subscriptions")
      .select("id")
      .where("state", "=", "active")
      .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now)]))
      .orderBy("id")
      .execute();
    const queue = due.map((row) => row.id);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && !this.#stopped; id = queue.shift())
        await this.#drain(id);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  }

  // Delivers a subscription's entries one by one until it is up to date or a delivery fails.
  async #drain(id: string): Promise<void> {
    if (this.#busy.has(id)) return;
    this.#busy.add(id);
    try {
      while (!this.#stopped && (await this.#step(id)));
    } finally {
      this.#busy.delete(id);
    }
  }

  // One step under the subscription's lock: true when the cursor moved (there may be more).
  async #step(id: string): Promise<boolean> {
    if (this.database.dialect === "postgres") {
      return this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom("subscriptions")
          .selectAll()
          .where("id", "=", id)
          .where("state", "=", "active")
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        // Another process holds it (and delivers), or it was removed or paused meanwhile.
        return row === undefined ? false : this.#deliverNext(trx, row);
      });
    }
    // SQLite has no row locks, and a transaction held across the request would hold the whole
    // file's write lock: a process claims the subscription for a bounded time instead, so that
    // several processes on one file still deliver each entry once. A claim left by a process
    // that died runs out after the lease.
    const now = new Date();
    // Only a subscription with an entry to deliver is claimed: a claim is a write.
    const peek = await this.#db
      .selectFrom("subscriptions")
      .select(["cursor", "next_attempt_at"])
      .where("id", "=", id)
      .where("state", "=", "active")
      .executeTakeFirst();
    if (peek === undefined || (peek.next_attempt_at !== null && peek.next_attempt_at > now.toISOString()))
      return false;
    const pending = await this.#db
      .selectFrom("audit")
      .select("seq")
      .where("seq", ">", Number(peek.cursor))
      .limit(1)
      .executeTakeFirst();
    if (pending === undefined) return false;
    const claimed = await this.#db
      .updateTable("subscriptions")
      .set({ lease_owner: this.#owner, lease_until: new Date(now.getTime() + this.#leaseMs).toISOString() })
      .where("id", "=", id)
      .where("state", "=", "active")
      .where((eb) =>
        eb.or([
          eb("lease_until", "is", null),
          eb("lease_until", "<", now.toISOString()),
          eb("lease_owner", "=", this.#owner),
        ]),
      )
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return false;
    try {
      const row = await this.#db
        .selectFrom("subscriptions")
        .selectAll()
        .where("id", "=", id)
        .where("state", "=", "active")
        .executeTakeFirst();
      return row === undefined ? false : await this.#deliverNext(this.#db, row);
    } finally {
      await this.#db
        .updateTable("subscriptions")
        .set({ lease_owner: null, lease_until: null })
        .where("id", "=", id)
        .where("lease_owner", "=", this.#owner)
        .execute();
    }
  }

  async #deliverNext(db: Kysely<StoreTables>, row: Row): Promise<boolean> {
    if (row.next_attempt_at !== null && row.next_attempt_at > new Date().toISOString()) return false;
    const cursor = Number(row.cursor);
    const entries = (await auditPageQuery(db, cursor, PAGE).execute()).map(auditEntryOf);
    if (entries.length === 0) return false;
    const filter = JSON.parse(row.filter) as SubscriptionFilter;
    const index = entries.findIndex((entry) => passes(filter, entry));
    if (index === -1) {
      await this.#moveCursor(db, row, entries.at(-1)!.seq);
      return true;
    }
    const entry = entries[index]!;
    const skippedTo = index === 0 ? cursor : entries[index - 1]!.seq;
    const body = JSON.stringify(changeEventOf(entry));
    const deliveryId = deliveryIdOf(row.id, entry.seq);
    const headers = webhookHeaders(row.secret, deliveryId, Math.floor(Date.now() / 1000), body);
    try {
      await postWebhook(new URL(row.url), headers, body, this.options.policy, this.#limits);
    } catch (error) {
      await this.#recordFailure(db, row, skippedTo, entry.seq, (error as Error).message);
      return false;
    }
    await this.#moveCursor(db, row, entry.seq);
    this.options.onDelivered?.(row.id, entry.seq, deliveryId);
    return true;
  }

  async #moveCursor(db: Kysely<StoreTables>, row: Row, seq: number): Promise<void> {
    await db
      .updateTable("subscriptions")
      .set({ cursor: seq, failures: 0, next_attempt_at: null })
      .where("id", "=", row.id)
      .where("cursor", "=", Number(row.cursor))
      .execute();
  }

  async #recordFailure(
    db: Kysely<StoreTables>,
    row: Row,
    cursor: number,
    seq: number,
    error: string,
  ): Promise<void> {
    const failures = Number(row.failures) + 1;
    const paused = failures >= this.#retry.failureLimit;
    const now = Date.now();
    await db
      .updateTable("subscriptions")
      .set({
        cursor,
        failures,
        state: paused ? "paused" : "active",
        last_error: error,
        last_error_at: new Date(now).toISOString(),
        next_attempt_at: paused ? null : new Date(now + backoffMs(this.#retry, failures)).toISOString(),
      })
      .where("id", "=", row.id)
      .where("cursor", "=", Number(row.cursor))
      .execute();
    this.options.onFailure?.(row.id, seq, error, paused);
  }
}
