import { appendFileSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";
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

/** Reads the store's database directly, beside the running store process. */
export interface DatabaseProbe {
  /**
   * Everything a write changes: the revision counter, the last audit seq and every row of
   * documents, their keys and tokens, as one string; and the last audit seq alone.
   */
  read(): Promise<{ readonly state: string; readonly lastAuditSeq: number }>;
  close(): Promise<void>;
}

const PROBE_QUERIES = [
  "select value from counters order by name",
  "select coalesce(max(seq), 0) as seq, count(*) as entries from audit",
  "select * from documents order by kind, id_key",
  "select * from document_keys order by kind, field, value_key",
  "select name_key, name, role, secret_hash, created_at from tokens order by name_key",
] as const;

/** Opens a {@link DatabaseProbe} on a SQLite file (read-only) or a `postgres://` URL. */
export async function openDatabaseProbe(db: string): Promise<DatabaseProbe> {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    const client = new Client({ connectionString: db });
    await client.connect();
    return {
      async read() {
        const results: unknown[][] = [];
        for (const query of PROBE_QUERIES) results.push((await client.query(query)).rows);
        return {
          state: JSON.stringify(results),
          lastAuditSeq: Number((results[1]?.[0] as { seq: unknown }).seq),
        };
      },
      close: () => client.end(),
    };
  }
  const sqlite = new BetterSqlite3(db, { readonly: true, fileMustExist: true });
  const statements = PROBE_QUERIES.map((query) => sqlite.prepare(query));
  return {
    async read() {
      const results = statements.map((statement) => statement.all());
      return {
        state: JSON.stringify(results),
        lastAuditSeq: Number((results[1]?.[0] as { seq: unknown }).seq),
      };
    },
    close: async () => {
      sqlite.close();
    },
  };
}
