import type { LastWriteFacts } from "../core";
import { PreconditionFailedError, changedSince } from "../core";

/**
 * The preconditions of a write. `ifMatch` holds the entity tags of `If-Match` (the revisions
 * as strings) or `"*"` (the object must exist); `ifNoneMatch: "*"` means it must not exist.
 */
export interface Preconditions {
  readonly ifMatch?: readonly string[] | "*";
  readonly ifNoneMatch?: "*";
}

/**
 * Checks a write's preconditions against the object as it is (`undefined`: there is none),
 * before anything of the write is validated (the order of concerns of docs/api.md); throws a
 * {@link PreconditionFailedError} that names the object (`what`) and, when it changed, who
 * changed it, when, how and why.
 */
export function checkPreconditions(
  what: string,
  current: LastWriteFacts | undefined,
  preconditions: Preconditions,
): void {
  if (preconditions.ifNoneMatch === "*" && current !== undefined) {
    throw new PreconditionFailedError(
      `${what} already exists (revision ${current.revision}); the write was only to create it`,
    );
  }
  const ifMatch = preconditions.ifMatch;
  if (ifMatch === undefined) return;
  if (current === undefined) {
    throw new PreconditionFailedError(
      `${what} does not exist, so If-Match cannot hold; it may have been deleted`,
    );
  }
  if (ifMatch === "*" || ifMatch.includes(String(current.revision))) return;
  const expected =
    ifMatch.length === 0
      ? "the revision given (If-Match named no strong entity tag)"
      : `revision ${ifMatch.join(", ")}`;
  throw new PreconditionFailedError(`${what} ${changedSince(expected, current)}; read it again and retry`);
}
