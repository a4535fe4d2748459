import type { AuditEntry } from "../../core";

/** The store's read of the newest audit entries (`TopologyStore.listRecentAudit`). */
export interface AuditReader {
  /** The most recent entries of the audit log, oldest first, at most `limit`. */
  listRecentAudit(limit: number): Promise<AuditEntry[]>;
}

/**
 * The most recent entries of the audit log, for the audit page: each call is one bounded read
 * of the newest entries by the primary key (`ORDER BY seq DESC LIMIT n`), so a long log costs
 * no more than a short one, and entries removed by retention are not shown.
 */
export class RecentAudit {
  constructor(
    private readonly store: AuditReader,
    readonly keep = 100,
  ) {}

  /** The most recent entries, oldest first, at most {@link keep}. */
  async recent(): Promise<readonly AuditEntry[]> {
    return this.store.listRecentAudit(this.keep);
  }
}
