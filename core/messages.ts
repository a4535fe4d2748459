import type { ValidationDetail } from "./errors";

/**
 * The message of a value of the wrong type. A missing value is reported as "is required" by
 * the validation, which sees the whole input.
 */
export function expected(what: string): string {
  return `must be ${what}`;
}

/**
 * The one-line summary of a validation failure, as every layer shows it:
 * `invalid provider "Contoso": proxyFqdn must be ... (and 2 more)`.
 */
export function validationSummary(what: string, details: readonly ValidationDetail[]): string {
  const first = details[0];
  const summary = first === undefined ? "" : `: ${first.path === "" ? "" : `${first.path} `}${first.message}`;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : "";
  return `invalid ${what}${summary}${more}`;
}

/** Every failure of a validation on one line, as `path message; path message`. */
export function validationList(details: readonly ValidationDetail[]): string {
  return details.map((detail) => `${detail.path === "" ? "body" : detail.path} ${detail.message}`).join("; ");
}

/** Who last wrote an object, as the messages of every layer say it. */
export interface LastWriteFacts {
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedVia: string;
  readonly updatedAt: string;
  readonly updateReason: string | null;
}

/**
 * The "changed since" sentence of a refused conditional write, one wording for the store, the
 * provider and the Control Panel: `changed since revision 12: it is at revision 15, written by
 * ops-oncall at 2026-11-20T10:02:00.000Z via control-panel ("spam wave")`.
 */
export function changedSince(expectedRevision: string, current: LastWriteFacts): string {
  const reason = current.updateReason === null ? "" : ` ("${current.updateReason}")`;
  return `changed since ${expectedRevision}: it is at revision ${current.revision}, written by ${current.updatedBy} at ${current.updatedAt} via ${current.updatedVia}${reason}`;
}
