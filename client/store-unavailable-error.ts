import { ImfedError } from "../core";

/**
 * The store could not be reached, did not answer in time, or answered with something that is
 * not the contract (a bare 5xx, a body that does not parse). Nothing is known about whether a
 * write that failed this way was applied; a read shows it.
 */
export class StoreUnavailableError extends ImfedError {
  /** The HTTP status, when the store answered at all. */
  public readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super("internal", message);
    this.name = "StoreUnavailableError";
    this.status = status;
  }
}
