import { Command, Option } from "commander";
import { KINDS } from "../../core";
import type { StoreClient } from "../../client";
import type { ChangeEvent } from "../../store/events/change-event";
import { changeEventOf } from "../../store/events/change-event";
import type { ConnectionOptions } from "../connection";
import { clientOf, parseCount, storeCommand } from "../connection";
import { followAudit } from "../follow-audit";
import { paint, printNote } from "../output";

const PAGE = 1000;

interface TailOptions extends ConnectionOptions {
  readonly after?: number;
  readonly interval: number;
  readonly driftOnly?: boolean;
  readonly kind?: string[];
}

/**
 * `imfed events tail`: the store's change events as they happen, one line each for people
 * (drift marked), or JSON lines with `--json` (each the payload a subscription receives). It
 * follows the audit log (`GET /v1/audit?after=`), as `imfed audit --follow` does, so it needs
 * only a view-only token, survives a restart of the store, and resumes from any `--after`.
 */
export function eventsCommand(): Command {
  const tail = storeCommand("tail", "print change events as they happen (Ctrl-C ends)")
    .addOption(
      new Option(
        "--after <seq>",
        "start after this audit seq (default: the newest entry, so only new events)",
      ).argParser(parseCount("--after")),
    )
    .addOption(
      new Option("--drift-only", "only drift: changes made outside Pulumi to objects Pulumi wrote last"),
    )
    .addOption(
      new Option("--kind <name...>", "only events about objects of these kinds").choices(
        KINDS.map((kind) => kind.name),
      ),
    )
    .addOption(
      new Option("--interval <ms>", "how often to ask the store for new entries")
        .argParser(parseCount("--interval"))
        .default(1000),
    )
    .action(async (options: TailOptions) => {
      const client = clientOf(options);
      await follow(client, options.after ?? (await newestSeq(client)), options);
    });
  return new Command("events")
    .description("the store's change events (the audit log, each entry with drift and a summary)")
    .addCommand(tail);
}

async function newestSeq(client: StoreClient): Promise<number> {
  let after = 0;
  for (;;) {
    const page = await client.listAudit({ after, limit: PAGE });
    after = page.next;
    if (page.items.length < PAGE) return after;
  }
}

function wanted(event: ChangeEvent, options: TailOptions): boolean {
  if (options.driftOnly === true && !event.drift) return false;
  if (options.kind !== undefined && (event.kind === null || !options.kind.includes(event.kind))) return false;
  return true;
}

function print(event: ChangeEvent, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    return;
  }
  const drift = event.drift ? `${paint("DRIFT", "red")} ` : "";
  process.stdout.write(`${paint(`#${event.seq}`, "dim")} ${event.at} ${drift}${event.summary}\n`);
}

// Prints every wanted event until SIGINT or SIGTERM; following survives a restart of the store.
function follow(client: StoreClient, from: number, options: TailOptions): Promise<void> {
  // On stderr, so JSON lines stay alone on stdout; says where a later --after may resume.
  printNote(`imfed: following change events after seq ${from} (Ctrl-C ends)`);
  return followAudit(client, from, options.interval, (entry) => {
    const event = changeEventOf(entry);
    if (wanted(event, options)) print(event, options.json);
  });
}
