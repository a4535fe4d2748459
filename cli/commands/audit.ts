import { Option } from "commander";
import type { Command } from "commander";
import type { AuditEntry } from "../../core";
import type { StoreClient } from "../../client";
import { changeSummary } from "../../store/control-panel/audit-page";
import type { ConnectionOptions } from "../connection";
import { clientOf, parseCount, storeCommand } from "../connection";
import { followAudit } from "../follow-audit";
import { paint, printJson, printTable } from "../output";

const PAGE = 1000;
const DEFAULT_LAST = 20;

interface AuditOptions extends ConnectionOptions {
  readonly after?: number;
  readonly limit?: number;
  readonly follow?: boolean;
  readonly interval: number;
}

/**
 * `imfed audit [--after N] [--limit N] [--follow]`: the audit log of a running store. Without
 * `--after`, the most recent entries; with it, every entry after that `seq`; `--follow` then
 * waits for new entries and prints each as it comes (JSON lines with `--json`), until Ctrl-C.
 */
export function auditCommand(): Command {
  return storeCommand("audit", "show the audit log: who changed what, when, how and why")
    .addOption(
      new Option("--after <seq>", "list every entry after this seq (oldest first)").argParser(
        parseCount("--after"),
      ),
    )
    .addOption(
      new Option(
        "--limit <n>",
        `at most this many entries (default without --after: the last ${DEFAULT_LAST})`,
      ).argParser(parseCount("--limit")),
    )
    .addOption(
      new Option("--follow", "keep waiting for new entries and print them as they come (Ctrl-C ends)"),
    )
    .addOption(
      new Option("--interval <ms>", "with --follow, how often to ask the store for new entries")
        .argParser(parseCount("--interval"))
        .default(2000),
    )
    .action(async (options: AuditOptions) => {
      const client = clientOf(options);
      const { items, next } = await readEntries(client, options);
      if (!options.follow) {
        if (options.json) return printJson({ items, next });
        return printAuditTable(items);
      }
      for (const entry of items) printLine(entry, options.json);
      await follow(client, next, options);
    });
}

async function readEntries(
  client: StoreClient,
  options: AuditOptions,
): Promise<{ items: AuditEntry[]; next: number }> {
  const wanted = options.limit ?? (options.after === undefined ? DEFAULT_LAST : Number.POSITIVE_INFINITY);
  let after = options.after ?? 0;
  let items: AuditEntry[] = [];
  for (;;) {
    const page = await client.listAudit({ after, limit: PAGE });
    items.push(...page.items);
    // Without --after, only the tail is kept while reading to the end; with it, reading stops at the limit.
    if (options.after === undefined) items = items.slice(-wanted);
    else if (items.length >= wanted)
      return { items: items.slice(0, wanted), next: items[wanted - 1]?.seq ?? after };
    after = page.next;
    if (page.items.length < PAGE) return { items, next: after };
  }
}

function printAuditTable(items: readonly AuditEntry[]): void {
  printTable(items, [
    { heading: "SEQ", cell: (e) => String(e.seq) },
    { heading: "AT", cell: (e) => e.at },
    { heading: "ACTOR", cell: (e) => e.actor },
    { heading: "VIA", cell: (e) => e.via },
    { heading: "ACTION", cell: (e) => e.action },
    { heading: "TARGET", cell: (e) => e.target },
    { heading: "CHANGE", cell: (e) => changeSummary(e) },
    { heading: "REASON", cell: (e) => e.reason ?? "" },
  ]);
}

function printLine(entry: AuditEntry, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(entry)}\n`);
    return;
  }
  const reason = entry.reason === null ? "" : ` (reason: ${entry.reason})`;
  process.stdout.write(
    `${paint(`#${entry.seq}`, "dim")} ${entry.at} ${entry.actor} via ${entry.via} ${entry.action} ${entry.target}: ${changeSummary(entry)}${reason}\n`,
  );
}

// Prints every new entry until SIGINT or SIGTERM; following survives a restart of the store.
function follow(client: StoreClient, from: number, options: AuditOptions): Promise<void> {
  return followAudit(client, from, options.interval, (entry) => printLine(entry, options.json));
}
