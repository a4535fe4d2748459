import type { AuditEntry } from "../core";
import type { StoreClient } from "../client";
import { StoreUnavailableError } from "../client";
import { printNote } from "./output";

/** The most audit entries one request asks for while following. */
const PAGE = 1000;

/**
 * Follows the audit log after `from`: hands every new entry, in order, to `onEntry`, polling
 * every `intervalMs` until SIGINT or SIGTERM, which end it (the command then exits 0). A store
 * that cannot be reached for a while is reported once on stderr and polled again, so following
 * survives a restart of the store; any other error ends it.
 */
export async function followAudit(
  client: StoreClient,
  from: number,
  intervalMs: number,
  onEntry: (entry: AuditEntry) => void,
): Promise<void> {
  let next = from;
  let stopped = false;
  let wake: () => void = () => undefined;
  const stop = () => {
    stopped = true;
    wake();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let unreachable = false;
  while (!stopped) {
    try {
      for (;;) {
        const page = await client.listAudit({ after: next, limit: PAGE });
        for (const entry of page.items) onEntry(entry);
        next = page.next;
        if (page.items.length < PAGE) break;
      }
      if (unreachable) printNote("imfed: the store answers again");
      unreachable = false;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (!unreachable) printNote(`imfed: warning: ${error.message}; still following`);
      unreachable = true;
    }
    if (stopped) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
