import type { Kysely, Selectable } from "kysely";
import type { AuditAction, AuditEntry, AuditPage, ClientKind } from "../core";
import { auditPageQuery, recentAuditQuery } from "./db/audit-queries";
import type { AuditTable, StoreTables } from "./db/schema";
import type { WriteContext } from "./write-context";

/** A page request of the audit log. */
export interface AuditQuery {
  readonly after: number;
  readonly limit: number;
}

/**
 * The store's audit log: one entry per write that changed something, written in the write's
 * own transaction ({@link appendAuditEntry}), with whole snapshots of its target before and
 * after, and read oldest first by its sequence number.
 */
export class AuditLog {
  constructor(private readonly db: Kysely<StoreTables>) {}

  /** A page of the audit log, oldest first: the entries after `after`, at most `limit`. */
  async page(query: AuditQuery): Promise<AuditPage> {
    const rows = await auditPageQuery(this.db, query.after, query.limit).execute();
    const items = rows.map(auditEntryOf);
    return { items, next: items.at(-1)?.seq ?? query.after };
  }

  /**
   * The most recent entries, oldest first, at most `limit`: one read of the newest entries by
   * the primary key, however long the log is.
   */
  async recent(limit: number): Promise<AuditEntry[]> {
    const rows = await recentAuditQuery(this.db, limit).execute();
    return rows.map(auditEntryOf).reverse();
  }
}

/**
 * Appends the audit entry of a write, inside its transaction: who (`context`), what (`action`
 * on `target`, such as `provider/Yahoo!`), and the whole target before and after (`null`
 * where it did not or no longer exists).
 */
export async function appendAuditEntry(
  trx: Kysely<StoreTables>,
  context: WriteContext,
  action: AuditAction,
  target: string,
  before: object | null,
  after: object | null,
): Promise<void> {
  await trx
    .insertInto("audit")
    .values({
      at: new Date().toISOString(),
      actor: context.actor,
      via: context.via,
      action,
      target,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      reason: context.reason,
    })
    .execute();
}

/** An audit entry as read from its row, snapshots parsed. */
export function auditEntryOf(row: Selectable<AuditTable>): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    via: row.via as ClientKind,
    action: row.action as AuditAction,
    target: row.target,
    before: parseSnapshot(row.before),
    after: parseSnapshot(row.after),
    reason: row.reason,
  };
}

function parseSnapshot(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}
