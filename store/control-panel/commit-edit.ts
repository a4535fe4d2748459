import type { Kysely } from "kysely";
import type { LastWrite, ValidationDetail } from "../../core";
import { ConflictError, PreconditionFailedError, ValidationError } from "../../core";
import type { StoreTables } from "../db/schema";
import { reasonProblems } from "../topology-store";
import { findChangesSince, renderChangesSince } from "./changes-since";
import { FormErrors } from "./form-fields";
import type { SafeHtml } from "./html";
import type { FieldOutcome, FormField, FormValues, PostedEdit } from "./object-form";
import { bodyOf, labelsOf, reconcile } from "./object-form";

/** A stored object an edit form changes, and how to read and write it. */
export interface EditTarget<R extends LastWrite> {
  /** The form's fields (read-only ones included, for the page of changes). */
  readonly fields: readonly FormField[];
  /** The object's target in the audit log (`provider/<name>`, `federation`). */
  readonly auditTarget: string;
  /** The object in a sentence: `Provider "Yahoo!"`, `The federation settings`. */
  readonly what: string;
  /** The form values of the object. */
  valuesOf(record: R): FormValues;
  /** Every rule the write would break, found before writing so that all show at once. */
  validate(record: R, body: Record<string, unknown>): readonly ValidationDetail[];
  /** Writes the change if the object is still at `revision` (If-Match); the store checks again. */
  write(body: Record<string, unknown>, revision: number): Promise<R>;
  /** Reads the object again; `undefined` when it is gone. */
  refetch(): Promise<R | undefined>;
}

/** What an edit form shows when it is rendered again. */
export interface EditFormState<R extends LastWrite> {
  /** The object as it is now. */
  readonly record: R;
  readonly values: FormValues;
  readonly opened: FormValues;
  readonly revision: number;
  readonly conflicts: readonly FieldOutcome[];
  readonly errors: FormErrors;
  /** What changed since the form was opened, when the Commit was refused for it. */
  readonly changed?: SafeHtml;
}

/** The outcome of {@link commitEdit}. */
export type EditOutcome<R extends LastWrite> =
  | { readonly kind: "saved"; readonly record: R; readonly changed: boolean }
  | { readonly kind: "refused"; readonly status: 400 | 409; readonly state: EditFormState<R> }
  | { readonly kind: "gone" };

/**
 * Commits an edit form without ever writing a value its user did not see (DESIGN.md, Control
 * Panel). When the object is still at the revision the form was opened at, it validates the
 * whole form and writes with If-Match. When the object changed since (by the revision, or by a
 * 412 from a write racing this one), nothing is written: the form comes back holding the
 * current value of every field the user did not touch, the user's entry where no one else
 * changed the field, and a choice where both did, with the changes made since (who, when,
 * how, why, old and new values, from the audit log) and the new revision.
 */
export async function commitEdit<R extends LastWrite>(
  db: Kysely<StoreTables>,
  target: EditTarget<R>,
  record: R,
  posted: PostedEdit,
  reason: string | null,
): Promise<EditOutcome<R>> {
  const openedAt = posted.revision ?? 0;
  if (openedAt !== record.revision) return refuseChanged(db, target, record, posted, openedAt);

  // Still at the form's revision: the object is as the form was opened, whatever the post says.
  const current = target.valuesOf(record);
  const merged = reconcile(target.fields, { ...posted, opened: current, current });
  const errors = new FormErrors(labelsOf(target.fields));
  for (const conflict of merged.conflicts)
    errors.add(conflict.field.name, "changed: choose which value to save");
  const body = bodyOf(target.fields, merged.values, "clear");
  for (const detail of [...target.validate(record, body), ...reasonProblems(reason)])
    errors.add(detail.path, detail.message);
  const refused = (status: 400 | 409, state?: Partial<EditFormState<R>>): EditOutcome<R> => ({
    kind: "refused",
    status,
    state: {
      record,
      values: merged.values,
      opened: current,
      revision: record.revision,
      conflicts: merged.conflicts,
      errors,
      ...state,
    },
  });
  if (!errors.empty) return refused(400);
  try {
    const saved = await target.write(body, record.revision);
    return { kind: "saved", record: saved, changed: saved.revision !== record.revision };
  } catch (error) {
    if (error instanceof PreconditionFailedError) {
      const fresh = await target.refetch();
      return fresh === undefined ? { kind: "gone" } : refuseChanged(db, target, fresh, posted, openedAt);
    }
    if (!addStoreErrors(error, errors)) throw error;
    return refused(400);
  }
}

async function refuseChanged<R extends LastWrite>(
  db: Kysely<StoreTables>,
  target: EditTarget<R>,
  record: R,
  posted: PostedEdit,
  openedAt: number,
): Promise<EditOutcome<R>> {
  const current = target.valuesOf(record);
  const merged = reconcile(target.fields, { ...posted, current });
  const changes = await findChangesSince(db, target.auditTarget, openedAt);
  const errors = new FormErrors(labelsOf(target.fields));
  errors.add(
    "",
    `${target.what} changed after you opened this page, so nothing was saved. The form now holds the current values, with your own changes kept where no one else changed the same setting${
      merged.conflicts.length > 0 ? "; where both of you changed a setting, choose which value to save" : ""
    }. Check it, then Commit again.`,
  );
  return {
    kind: "refused",
    status: 409,
    state: {
      record,
      values: merged.values,
      opened: current,
      revision: record.revision,
      conflicts: merged.conflicts,
      errors,
      changed: renderChangesSince({
        fields: target.fields,
        changes,
        current: record,
        outcomes: merged.outcomes,
      }),
    },
  };
}

/** The store's refusals as inline errors: validation details and conflicts at their fields. */
export function addStoreErrors(error: unknown, errors: FormErrors): boolean {
  if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) return false;
  if (error.details.length === 0) errors.add("", error.message);
  else if (error instanceof ConflictError && error.details.every((detail) => detail.path !== "proxyFqdn"))
    errors.add("", error.message);
  else for (const detail of error.details) errors.add(detail.path, detail.message);
  return true;
}
