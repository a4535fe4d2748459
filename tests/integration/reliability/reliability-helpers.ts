import { appendFileSync } from "node:fs";
import type { ApiTarget } from "../../helpers/api";
import { api } from "../../helpers/api";

/** An audit entry as the wire carries it, with the snapshot fields the reliability tests read. */
export interface WireAuditEntry {
  readonly seq: number;
  readonly action: string;
  readonly target: string;
  readonly reason: string | null;
  readonly actor: string;
  readonly before: (Record<string, unknown> & { revision?: number }) | null;
  readonly after: (Record<string, unknown> & { revision?: number; autodiscoverUrl?: string }) | null;
}

/** Every audit entry after `after`, oldest first, read page by page (at most 1,000 pages). */
export async function readAuditSince(
  store: ApiTarget,
  token: string,
  after: number,
): Promise<WireAuditEntry[]> {
  const entries: WireAuditEntry[] = [];
  let next = after;
  for (let page = 0; page < 1000; page += 1) {
    const response = await api(store, "GET", `/v1/audit?after=${next}&limit=1000`, { token });
    if (response.status !== 200)
      throw new Error(`GET /v1/audit answered ${response.status}: ${response.text}`);
    const items = response.body.items as WireAuditEntry[];
    if (items.length === 0) return entries;
    entries.push(...items);
    next = response.body.next as number;
  }
  throw new Error("the audit log did not end within 1,000 pages");
}

/**
 * Prints a test's figures as one line (`[reliability] title: key=value ...`) so that a run's
 * output holds what docs/reliability.md quotes; with `IMFED_RELIABILITY_REPORT` set to a file
 * path, the line is also appended there.
 */
export function report(title: string, figures: Readonly<Record<string, string | number>>): void {
  const line = `[reliability] ${title}: ${Object.entries(figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ")}`;
  process.stdout.write(`${line}\n`);
  const file = process.env.IMFED_RELIABILITY_REPORT;
  if (file !== undefined && file !== "") appendFileSync(file, `${line}\n`);
}
