import type { ClientKind, ValidationDetail } from "../core";
import { MAX_REASON_LENGTH } from "../core";

/** Who makes a write, how and why: recorded on the object and in the audit log. */
export interface WriteContext {
  /** The token's name (`updatedBy`, the audit entry's `actor`). */
  readonly actor: string;
  /** How the write reached the store (`X-Imfed-Client`). */
  readonly via: ClientKind;
  /** Why (`X-Imfed-Reason`), or `null`. */
  readonly reason: string | null;
}

/**
 * What is wrong with a write's reason, at the path `reason` (none when it is fit): at most
 * {@link MAX_REASON_LENGTH} characters, and no U+0000, which PostgreSQL's text cannot hold
 * (SQLSTATE 22021), so neither backend takes it. Every write checks it; a form may check it
 * first to show it with the form's other errors.
 */
export function reasonProblems(reason: string | null): ValidationDetail[] {
  if (reason === null) return [];
  const problems: ValidationDetail[] = [];
  if ([...reason].length > MAX_REASON_LENGTH)
    problems.push({ path: "reason", message: `must be at most ${MAX_REASON_LENGTH} characters` });
  if (reason.includes("\u0000"))
    problems.push({ path: "reason", message: "must not contain the NUL character (U+0000)" });
  return problems;
}
