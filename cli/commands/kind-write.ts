import type { ResourceKind } from "../../core";
import { NotFoundError } from "../../core";
import type { ConnectionOptions, WriteFlags } from "../connection";
import { clientOf } from "../connection";
import { conditionalWrite } from "../conditional-write";
import { CliError, EXIT } from "../exit-codes";
import { printNote } from "../output";
import type { KindCliExtension } from "./extensions/cli-extension";
import type { RecordOutputOptions } from "./kind-output";
import { printRecord } from "./kind-output";
import type { KindRecord } from "./kind-record";
import { asKindRecord } from "./kind-record";

/**
 * Runs a command's requests for one object, turning the store's "not found" (whose message names
 * an API path) into one that names the command that lists the objects (exit 4).
 */
export async function withNotFoundHint<T>(
  kind: ResourceKind,
  id: string | undefined,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof NotFoundError) || kind.singletonId !== undefined) throw error;
    throw new CliError(
      `${kind.describe(id)} not found; "imfed ${kind.path} list" shows every ${kind.noun}`,
      EXIT.notFound,
    );
  }
}

/** The last write of an object, for a note that says nothing changed and since when it is so. */
export function lastChangeOf(record: KindRecord): string {
  const why = record.updateReason === null ? "" : `; reason: ${record.updateReason}`;
  return `revision ${record.revision}, last changed at ${record.updatedAt} by ${record.updatedBy} via ${record.updatedVia}${why}`;
}

/** What a write says it did, for people: saved, or what was already so. */
export interface WriteNotes {
  /** The note of a write that changed the object. */
  saved(record: KindRecord): string;
  /** What was already so, after "Nothing changed: " (the object's last write follows). */
  unchanged(record: KindRecord): string;
}

/** The generic notes: `Saved provider "AOL" (revision 12).`, or what the object already had. */
export function defaultWriteNotes(kind: ResourceKind): WriteNotes {
  return {
    saved: (record) => `Saved ${kind.describe(kind.idOf(record))} (revision ${record.revision}).`,
    unchanged: (record) => `${kind.describe(kind.idOf(record))} already had the values given`,
  };
}

/**
 * Changes some fields of an object (a merge patch) with `If-Match` of the revision it has (see
 * {@link conditionalWrite}), says whether that changed anything, and prints the object as the
 * store answered. If it throws, nothing was written.
 */
export async function patchAndReport(
  kind: ResourceKind,
  extension: KindCliExtension,
  id: string | undefined,
  options: ConnectionOptions & WriteFlags & RecordOutputOptions,
  patch: Readonly<Record<string, unknown>>,
  notes: WriteNotes = defaultWriteNotes(kind),
): Promise<void> {
  const client = clientOf(options).kind(kind);
  const { saved, changed } = await withNotFoundHint(kind, id, () =>
    conditionalWrite(
      kind.describe(id),
      options,
      async () => asKindRecord(await client.get(id)),
      async (write) => asKindRecord(await client.patch(id, patch, write)),
    ),
  );
  if (!options.json) {
    printNote(
      changed ? notes.saved(saved) : `Nothing changed: ${notes.unchanged(saved)} (${lastChangeOf(saved)}).`,
    );
  }
  printRecord(kind, extension, saved, options);
}
