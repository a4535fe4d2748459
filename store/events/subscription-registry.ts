import { randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { NotFoundError, parseOrThrow } from "../../core";
import { appendAuditEntry } from "../audit-log";
import type { StoreTables, SubscriptionsTable } from "../db/schema";
import type { WriteContext } from "../write-context";
import { WriteRunner } from "../write-runner";
import type { CreatedSubscription, SubscriptionFilter, SubscriptionRecord } from "./subscription";
import { subscriptionRequestSchema } from "./subscription";
import type { WebhookPolicy } from "./webhook-url";
import { checkWebhookUrl } from "./webhook-url";
import { generateWebhookSecret } from "./webhook-signature";

/** The prefix of a subscription's id. */
export const SUBSCRIPTION_ID_PREFIX = "sub_";

const ID_PATTERN = /^sub_[0-9a-f]{24}$/;

/**
 * The store's change-event subscriptions: created, listed, removed and resumed by
 * administrators, each change in one transaction with its audit entry (which never holds the
 * secret). A new subscription starts at the end of the audit log: it receives the changes
 * made after it, its own creation included.
 */
export class SubscriptionRegistry {
  readonly #writes: WriteRunner;

  constructor(
    private readonly db: Kysely<StoreTables>,
    private readonly policy: WebhookPolicy,
  ) {
    this.#writes = new WriteRunner(db);
  }

  /** Creates a subscription; the result holds its secret, shown this once. If it throws, nothing was written. */
  async create(body: unknown, context: WriteContext): Promise<CreatedSubscription> {
    const request = parseOrThrow(subscriptionRequestSchema, body, "subscription");
    const url = checkWebhookUrl(request.url, this.policy).toString();
    const secret = generateWebhookSecret();
    const id = SUBSCRIPTION_ID_PREFIX + randomBytes(12).toString("hex");
    const now = new Date().toISOString();
    return this.#writes.run(context, async (trx) => {
      const row: Selectable<SubscriptionsTable> = {
        id,
        url,
        description: request.description ?? null,
        filter: JSON.stringify(request.filter ?? {}),
        secret,
        state: "active",
        // Set below to the entry of this creation, which the subscription receives first.
        cursor: 0,
        failures: 0,
        last_error: null,
        last_error_at: null,
        next_attempt_at: null,
        lease_owner: null,
        lease_until: null,
        created_at: now,
        created_by: context.actor,
      };
      const newest = await trx
        .selectFrom("audit")
        .select("seq")
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirst();
      row.cursor = Number(newest?.seq ?? 0);
      await trx.insertInto("subscriptions").values(row).execute();
      const record = subscriptionRecordOf(row);
      await appendAuditEntry(trx, context, "create", `subscription/${id}`, null, auditSnapshotOf(record));
      return { ...record, secret };
    });
  }

  /** Every subscription, without secrets, oldest first. */
  async list(): Promise<SubscriptionRecord[]> {
    const rows = await this.db
      .selectFrom("subscriptions")
      .selectAll()
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(subscriptionRecordOf);
  }

  /** One subscription, without its secret; throws `NotFoundError` for an unknown id. */
  async get(id: string): Promise<SubscriptionRecord> {
    return subscriptionRecordOf(await this.#row(this.db, id));
  }

  /** Removes a subscription: nothing more is delivered to it. If it throws, nothing was removed. */
  async remove(id: string, context: WriteContext): Promise<void> {
    await this.#writes.run(context, async (trx) => {
      const row = await this.#row(trx, id);
      await trx.deleteFrom("subscriptions").where("id", "=", row.id).execute();
      await appendAuditEntry(
        trx,
        context,
        "delete",
        `subscription/${row.id}`,
        auditSnapshotOf(subscriptionRecordOf(row)),
        null,
      );
    });
  }

  /**
   * Resumes a paused subscription: its failures are forgotten and delivery starts again at its
   * cursor, so nothing it missed while paused is lost.
   */
  async resume(id: string, context: WriteContext): Promise<SubscriptionRecord> {
    return this.#writes.run(context, async (trx) => {
      const row = await this.#row(trx, id);
      const resumed = { ...row, state: "active", failures: 0, next_attempt_at: null };
      await trx
        .updateTable("subscriptions")
        .set({ state: "active", failures: 0, next_attempt_at: null })
        .where("id", "=", row.id)
        .execute();
      const after = subscriptionRecordOf(resumed);
      await appendAuditEntry(
        trx,
        context,
        "update",
        `subscription/${row.id}`,
        auditSnapshotOf(subscriptionRecordOf(row)),
        auditSnapshotOf(after),
      );
      return after;
    });
  }

  async #row(db: Kysely<StoreTables>, id: string): Promise<Selectable<SubscriptionsTable>> {
    const row = ID_PATTERN.test(id)
      ? await db.selectFrom("subscriptions").selectAll().where("id", "=", id).executeTakeFirst()
      : undefined;
    if (row === undefined)
      throw new NotFoundError(
        `subscription "${id}" not found; GET /v1/subscriptions lists the subscriptions`,
      );
    return row;
  }
}

/**
 * A subscription as its audit entries hold it: its URL without path, query or port beyond the
 * origin (`https://hooks.slack.com/...`). Chat webhooks carry their credential in the path, and
 * the audit log is readable by view-only tokens and delivered to every subscriber; the whole
 * URL is shown to administrators only (`GET /v1/subscriptions`).
 */
export function auditSnapshotOf(record: SubscriptionRecord): SubscriptionRecord {
  const url = new URL(record.url);
  return { ...record, url: `${url.origin}/...` };
}

/** A subscription as the API shows it: every column but the secret. */
export function subscriptionRecordOf(row: Selectable<SubscriptionsTable>): SubscriptionRecord {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    filter: JSON.parse(row.filter) as SubscriptionFilter,
    state: row.state === "paused" ? "paused" : "active",
    cursor: Number(row.cursor),
    failures: Number(row.failures),
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
