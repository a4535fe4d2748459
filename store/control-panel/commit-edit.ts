import type { ResourceKind } from "../../core";
import { ConflictError, PreconditionFailedError, ValidationError } from "../../core";
import type { WriteContext } from "../topology-store";
import { reasonProblems } from "../topology-store";
import { findChangesSince, renderChangesSince } from "./changes-since";
import type { StoredObject } from "./extensions";
import { FormErrors } from "./form-fields";
import type { SafeHtml } from "./html";
import { formFieldsOf, formValuesOf } from "./kind-form-fields";
import type { KindObjects } from "./kind-objects";
import type { FieldOutcome, FormField, FormValues, PostedEdit } from "./object-form";
import { bodyOf, labelsOf, reconcile } from "./object-form";
import type { AuditReader } from "./recent-audit";

/** What an edit form shows when it is rendered again. */
export interface EditFormState {
  /** The object as it is now. */
  readonly record: StoredObject;
  readonly values: FormValues;
  readonly opened: FormValues;
  readonly revision: number;
  readonly conflicts: readonly FieldOutcome[];
  readonly errors: FormErrors;
  /** What changed since the form was opened, when the Commit was refused for it. */
  readonly changed?: SafeHtml;
}

/** The outcome of {@link commitEdit}. */
export type EditOutcome =
  | { readonly kind: "saved"; readonly record: StoredObject; readonly changed: boolean }
  | { readonly kind: "refused"; readonly status: 400 | 409; readonly state: EditFormState }
  | { readonly kind: "gone" };

/**
 * Commits an edit form without ever writing a value its user did not see (docs/architecture.md, Control
 * Panel), for an object of any kind. When the object is still at the revision the form was
 * opened at, it validates the whole form by the kind's rules and writes a merge patch with
 * If-Match. When the object changed since (by the revision, or by a 412 from a write racing this
 * one), nothing is written: the form comes back holding the current value of every field the
 * user did not touch, the user's entry where no one else changed the field, and a choice where
 * both did, with the changes made since (who, when, how, why, old and new values, from the
 * audit log) and the new revision.
 */
export async function commitEdit(
  objects: KindObjects,
  audit: AuditReader,
  record: StoredObject,
  posted: PostedEdit,
  context: WriteContext,
): Promise<EditOutcome> {
  const { kind } = objects;
  const fields = formFieldsOf(kind, kind.variantOf(record), "edit");
  const openedAt = posted.revision ?? 0;
  if (openedAt !== record.revision) return refuseChanged(objects, audit, fields, record, posted, openedAt);

  // Still at the form's revision: the object is as the form was opened, whatever the post says.
  const current = formValuesOf(kind, record);
  const merged = reconcile(fields, { ...posted, opened: current, current });
  const errors = new FormErrors(labelsOf(fields));
  for (const conflict of merged.conflicts)
    errors.add(conflict.field.name, "changed: choose which value to save");
  const body = bodyOf(fields, merged.values, "clear");
  // Every rule the write would break, found before writing so that all show at once.
  const parsed = kind.validate(kind.mergePatch(kind.specOf(record), body));
  for (const detail of [...(parsed.ok ? [] : parsed.details), ...reasonProblems(context.reason)])
    errors.add(detail.path, detail.message);
  const refused = (status: 400 | 409): EditOutcome => refusal(status, record, current, merged, errors);
  if (!errors.empty) return refused(400);
  const id = objects.idOf(record);
  try {
    const saved = await objects.patch(id, body, { ifMatch: [String(record.revision)] }, context);
    return { kind: "saved", record: saved, changed: saved.revision !== record.revision };
  } catch (error) {
    if (error instanceof PreconditionFailedError) {
      const fresh = await objects.tryFind(id);
      return fresh === undefined
        ? { kind: "gone" }
        : refuseChanged(objects, audit, fields, fresh, posted, openedAt);
    }
    if (!addStoreErrors(kind, error, errors)) throw error;
    return refused(400);
  }
}

async function refuseChanged(
  objects: KindObjects,
  audit: AuditReader,
  fields: readonly FormField[],
  record: StoredObject,
  posted: PostedEdit,
  openedAt: number,
): Promise<EditOutcome> {
  const { kind } = objects;
  const id = objects.idOf(record);
  const what = objects.what(id);
  const current = formValuesOf(kind, record);
  const merged = reconcile(fields, { ...posted, current });
  const changes = await findChangesSince(audit, kind.auditTarget(id), openedAt);
  const errors = new FormErrors(labelsOf(fields));
  errors.add(
    "",
    `${what} changed after you opened this page, so nothing was saved. The form now holds the current values, with your own changes kept where no one else changed the same setting${
      merged.conflicts.length > 0 ? "; where both of you changed a setting, choose which value to save" : ""
    }. Check it, then Commit again.`,
  );
  const changed = renderChangesSince({
    what,
    openedAt,
    fields,
    changes,
    current: record,
    outcomes: merged.outcomes,
  });
  return refusal(409, record, current, merged, errors, changed);
}

/** A refused commit: the form again, with the values to show, the conflicts and the errors (and what changed since it was opened). */
function refusal(
  status: 400 | 409,
  record: StoredObject,
  opened: ReturnType<typeof formValuesOf>,
  merged: ReturnType<typeof reconcile>,
  errors: FormErrors,
  changed?: ReturnType<typeof renderChangesSince>,
): EditOutcome {
  const state = {
    record,
    values: merged.values,
    opened,
    revision: record.revision,
    conflicts: merged.conflicts,
    errors,
  };
  return { kind: "refused", status, state: changed === undefined ? state : { ...state, changed } };
}

/**
 * The store's refusals as inline errors: validation details at their fields; a conflict at a
 * unique key of the kind (an Access Edge another provider has) at that field; any other
 * conflict (a change that cannot be made in place) as the store's whole message.
 */
export function addStoreErrors(kind: ResourceKind, error: unknown, errors: FormErrors): boolean {
  if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) return false;
  const uniqueFields = (kind.definition.unique ?? []).map((key) => key.field);
  if (error.details.length === 0) errors.add("", error.message);
  else if (
    error instanceof ConflictError &&
    error.details.every((detail) => !uniqueFields.includes(detail.path))
  )
    errors.add("", error.message);
  else for (const detail of error.details) errors.add(detail.path, detail.message);
  return true;
}
