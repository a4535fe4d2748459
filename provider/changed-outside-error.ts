import type { LastWrite } from "../core";
import { PreconditionFailedError, changedSince } from "../core";

/**
 * An update or delete found the object changed since the state's revision (412 on `If-Match`):
 * someone changed it outside of code (the Control Panel, the CLI, another stack). The message
 * names who, how, when and why, and says to refresh; nothing was written.
 */
export class ChangedOutsideOfCodeError extends PreconditionFailedError {
  constructor(message: string) {
    super(message);
    this.name = "ChangedOutsideOfCodeError";
  }

  /**
   * The error for an object that still exists, from its live last write:
   * `provider "Yahoo!" changed outside of code: it changed since revision 12 of the state: it is
   * at revision 15, written by ops-oncall at ... via control-panel ("spam wave"). Run "pulumi refresh" ...`.
   * @param what the object as messages name it (`ResourceKind.describe`)
   */
  static changed(what: string, stateRevision: unknown, live: LastWrite): ChangedOutsideOfCodeError {
    const since =
      typeof stateRevision === "number" ? `revision ${stateRevision} of the state` : "the state was written";
    return new ChangedOutsideOfCodeError(
      `${what} changed outside of code: it ${changedSince(since, live)}. ` +
        `Run "pulumi refresh" to take the change into the state, then "pulumi up" to apply the program again ` +
        `(or change the program to keep the change).`,
    );
  }

  /** The error for an object that was deleted outside of code. */
  static deleted(what: string): ChangedOutsideOfCodeError {
    return new ChangedOutsideOfCodeError(
      `${what} was deleted outside of code. Run "pulumi refresh" to take the deletion into the state, ` +
        `then "pulumi up" to create it again.`,
    );
  }
}
