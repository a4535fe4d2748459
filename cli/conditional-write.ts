import { PreconditionFailedError } from "../core";
import type { WriteFlags } from "./connection";
import { writeOf } from "./connection";
import { CliError, EXIT } from "./exit-codes";

/** What {@link conditionalWrite} did: the object as the store answered, and whether the write changed it. */
export interface ConditionalWriteResult<T> {
  readonly saved: T;
  readonly changed: boolean;
}

/**
 * A write sent with `If-Match` of the revision the object is known to have (the command's
 * `--if-revision`, else the revision read just before), which tells from the answer whether it
 * changed anything: the store answers a write that changes nothing with the object as it is, at
 * the same revision and with no audit entry, and a write that changes something with a new
 * revision. Without `--if-revision`, a change made by someone else between the read and the
 * write fails with exit 5 and a message that says to run the command again.
 */
export async function conditionalWrite<T extends { readonly revision: number }>(
  what: string,
  flags: WriteFlags,
  read: () => Promise<T>,
  write: (options: ReturnType<typeof writeOf>) => Promise<T>,
): Promise<ConditionalWriteResult<T>> {
  const known = flags.ifRevision ?? (await read()).revision;
  try {
    const saved = await write(writeOf({ ...flags, ifRevision: known }));
    return { saved, changed: saved.revision !== known };
  } catch (error) {
    if (!(error instanceof PreconditionFailedError) || flags.ifRevision !== undefined) throw error;
    throw new CliError(
      `${what} changed while this command ran (it read revision ${known}); nothing was written: run the command again`,
      EXIT.conflict,
    );
  }
}
