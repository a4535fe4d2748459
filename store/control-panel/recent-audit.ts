import type { AuditEntry } from "../../core";
import type { TopologyStore } from "../topology-store";

const PAGE = 1000;

/**
 * The most recent entries of the audit log, for the audit page. The log is read oldest first
 * (as the API pages it), so this keeps a cursor and the last entries in memory and reads only
 * what was appended since the previous call: the first call reads the log once, later ones
 * read the tail.
 */
export class RecentAudit {
  private entries: AuditEntry[] = [];
  private next = 0;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly store: TopologyStore,
    readonly keep = 100,
  ) {}

  /** The most recent entries, oldest first, at most {@link keep}. */
  async recent(): Promise<readonly AuditEntry[]> {
    // One read at a time: concurrent callers share it, so no entry is taken twice.
    this.reading ??= this.readTail().finally(() => (this.reading = undefined));
    await this.reading;
    return this.entries;
  }

  private async readTail(): Promise<void> {
    for (;;) {
      const page = await this.store.listAudit({ after: this.next, limit: PAGE });
      this.entries = [...this.entries, ...page.items].slice(-this.keep);
      this.next = page.next;
      if (page.items.length < PAGE) return;
    }
  }
}
