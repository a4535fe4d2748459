import type { ResourceKind } from "../../core";
import { ADOPT, anyKind, checkInputs, diffInputs, outputsOfRecord } from "../../provider/kind-inputs";
import { adoptsExisting } from "../../provider/kind-provider";
import { isUnknown } from "../../provider/results";
import type { DeclaredResource } from "./program-runner";
import type { Drift, FieldChange, KindPlan, PlanAction, PlannedObject } from "./plan-model";
import { SECRET_PLACEHOLDER } from "./stack-config";

type Bag = Readonly<Record<string, unknown>>;

/** The text a value not known until apply shows as. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

function shown(value: unknown): unknown {
  if (isUnknown(value)) return KNOWN_AFTER_APPLY;
  return value === undefined ? null : value;
}

// The rule that forbids the in-place change, derived from the kind: which fields the live
// object's variant changes in place.
function replaceReason(kind: ResourceKind, live: Bag, fields: readonly string[]): string {
  const variant = kind.variantOf(live);
  const inPlace = kind.fieldsOf(variant).filter((field) => kind.changeModeOf(field, variant) === "in-place");
  const subject = withArticle(variant === undefined ? kind.noun : `${variant} ${kind.noun}`);
  const only = inPlace.length === 0 ? "in no field" : `only in ${listed(inPlace)}`;
  return `${listed(fields)} cannot change in place: ${subject} changes in place ${only} (Lync has no cmdlet parameter that changes the others)`;
}

// "a public provider", "an allowed domain".
function withArticle(words: string): string {
  return `${/^[aeiou]/i.test(words) ? "an" : "a"} ${words}`;
}

/** Joins words as a sentence lists them: `a`, `a and b`, `a, b and c`. */
export function listed(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

// Whether an object was written only once, when created (or seeded): its last write is then
// its creation. A singleton has no `createdAt`; its one object was written once while it is as
// the store seeds it (docs/api.md: `updatedBy: "system"`, `updatedVia: "api"`).
function writtenOnce(record: Bag): boolean {
  if (record.createdAt !== undefined) return record.createdAt === record.updatedAt;
  return record.updatedBy === "system" && record.updatedVia === "api";
}

function driftOf(live: Bag): Drift | null {
  if (live.updatedVia === "pulumi") return null;
  return {
    by: String(live.updatedBy),
    via: String(live.updatedVia),
    at: String(live.updatedAt),
    reason: typeof live.updateReason === "string" ? live.updateReason : null,
    revision: Number(live.revision),
  };
}

function fieldChanges(
  kind: ResourceKind,
  before: Bag,
  after: Bag,
  replaces: readonly string[],
): FieldChange[] {
  return kind.fields
    .filter((field) => isUnknown(after[field]) || !kind.sameValue(field, before[field], after[field]))
    .filter((field) => !(before[field] === undefined && after[field] === undefined))
    .map((field) => ({
      field,
      before: shown(before[field]),
      after: shown(after[field]),
      forcesReplace: replaces.includes(field),
    }));
}

// The settings after the program's change: the checked inputs without `adopt`, unknowns kept as the marker.
function settingsOf(kind: ResourceKind, inputs: Bag): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const field of kind.fieldsOf(kind.variantOf(inputs))) {
    if (inputs[field] !== undefined && inputs[field] !== null) settings[field] = inputs[field];
  }
  return settings;
}

function secretIn(inputs: Bag): string | undefined {
  for (const [field, value] of Object.entries(inputs)) {
    const match = typeof value === "string" ? SECRET_PLACEHOLDER.exec(value) : null;
    if (match !== null) return `${field} holds the secret configuration value "${match[1]}"`;
  }
  return undefined;
}

function object(partial: Partial<PlannedObject> & Pick<PlannedObject, "id" | "action">): PlannedObject {
  return {
    resource: null,
    changes: [],
    replaceReason: null,
    drift: null,
    notes: [],
    before: null,
    after: null,
    ...partial,
  };
}

/**
 * The plan of one kind: each resource the program declares against the store's objects of that
 * kind (read with one list), judged by the provider's own `checkInputs`, `diffInputs` and
 * adoption rule (`adoptsExisting`), and every object the program does not declare. Generic over
 * kinds: nothing here knows a field's name.
 *
 * The plan sees the store, not the Pulumi state. An object last written by Pulumi is taken as
 * managed by the program; one written once only (when created or seeded) by anything else has
 * never been Pulumi's, so the program's create adopts it or fails, by the provider's rule; one written by
 * Pulumi and then by someone else is managed and drifted.
 */
export function planKind(
  generic: ResourceKind,
  declared: readonly DeclaredResource[],
  live: readonly Bag[],
): KindPlan {
  const kind = anyKind(generic);
  const liveByKey = new Map<string, Bag>();
  for (const record of live) liveByKey.set(kind.keyOf(kind.idOf(record)) ?? "", record);
  const seen = new Map<string, string>();
  const objects: PlannedObject[] = [];

  for (const resource of declared) {
    const declaredId = kind.singletonId ?? String(resource.inputs[kind.identityField ?? ""] ?? resource.name);
    // Before the check, which would refuse the placeholder for what it is not.
    const secret = secretIn(resource.inputs);
    if (secret !== undefined) {
      objects.push(
        object({
          id: declaredId,
          resource: resource.name,
          action: "error",
          notes: [
            `${secret}, which imfed plan cannot decrypt (it has no passphrase or secrets provider): keep secrets out of imfed settings, or plan with "pulumi preview"`,
          ],
        }),
      );
      continue;
    }
    const checked = checkInputs(kind, resource.inputs);
    if (checked.failures.length > 0) {
      objects.push(
        object({
          id: declaredId,
          resource: resource.name,
          action: "error",
          notes: checked.failures.map((failure) => `${failure.property}: ${failure.reason}`),
        }),
      );
      continue;
    }
    const inputs = checked.inputs;

    const id = kind.idOf(inputs);
    const after = settingsOf(kind, inputs);
    if (isUnknown(id)) {
      objects.push(
        object({
          id: KNOWN_AFTER_APPLY,
          resource: resource.name,
          action: "create",
          changes: fieldChanges(kind, {}, after, []),
          notes: ["its id is known only after apply: the plan cannot tell whether it exists in the store"],
          after,
        }),
      );
      continue;
    }
    const key = kind.keyOf(id) ?? "";
    const twin = seen.get(key);
    if (twin !== undefined) {
      objects.push(
        object({
          id,
          resource: resource.name,
          action: "error",
          notes: [
            `the resources "${twin}" and "${resource.name}" both declare ${kind.describe(id)}: keep one`,
          ],
        }),
      );
      continue;
    }
    seen.set(key, resource.name);
    const record = liveByKey.get(key);
    liveByKey.delete(key);
    if (record === undefined) {
      objects.push(
        object({
          id,
          resource: resource.name,
          action: "create",
          changes: fieldChanges(kind, {}, after, []),
          after,
        }),
      );
      continue;
    }
    const before = kind.specOf(record) as Bag;
    const diff = diffInputs(kind, outputsOfRecord(kind, record), inputs);
    const changes = fieldChanges(kind, before, after, diff.replaces);
    const neverPulumis = record.updatedVia !== "pulumi" && writtenOnce(record);
    const base = { id: kind.idOf(record), resource: resource.name, before, after, changes };
    if (neverPulumis) {
      if (!adoptsExisting(kind, record, inputs)) {
        objects.push(
          object({
            ...base,
            action: "error",
            after: before,
            notes: [
              `${kind.describe(kind.idOf(record))} already exists in the store (created by ${String(record.updatedBy)} via ${String(record.updatedVia)} at ${String(record.updatedAt)}) and was never written by Pulumi: the program's create fails. To manage it with this program, set "${ADOPT}: true" on the ${kind.name} (create then updates it to the declared settings), or remove it from the store first`,
            ],
          }),
        );
        continue;
      }
      const recreates = kind.fieldsThatCannotChange(before, after);
      objects.push(
        object({
          ...base,
          action: "adopt",
          replaceReason: recreates.length === 0 ? null : replaceReason(kind, record, recreates),
          notes:
            recreates.length === 0
              ? []
              : [
                  "the adoption removes the object and creates it again, since a setting differs that cannot change in place",
                ],
        }),
      );
      continue;
    }
    if (!diff.changes) {
      objects.push(object({ ...base, action: "in-sync", changes: [] }));
      continue;
    }
    const action: PlanAction = diff.replaces.length > 0 ? "replace" : "update";
    const drift = driftOf(record);
    objects.push(
      object({
        ...base,
        action,
        replaceReason: action === "replace" ? replaceReason(kind, record, diff.replaces) : null,
        drift,
        notes:
          drift !== null && !adoptsExisting(kind, record, inputs)
            ? [
                `if this stack does not manage it yet, its create fails: set "${ADOPT}: true" on the ${kind.name} to take it over`,
              ]
            : [],
      }),
    );
  }

  for (const record of liveByKey.values()) {
    const id = kind.idOf(record);
    const before = kind.specOf(record) as Bag;
    if (record.updatedVia !== "pulumi") {
      objects.push(object({ id, action: "unmanaged", before, after: before }));
      continue;
    }
    const restored = kind.isBuiltIn(record) ? (kind.tryFindBuiltIn(id) as Bag | undefined) : undefined;
    const after = restored === undefined ? null : { ...(kind.parse(restored) as Bag) };
    objects.push(
      object({
        id,
        action: "delete",
        before,
        after,
        changes: after === null ? [] : fieldChanges(kind, before, after, []),
        notes: [
          restored === undefined
            ? "last written by Pulumi and not declared by the program: if this stack manages it, pulumi up deletes it"
            : "a built-in last written by Pulumi and not declared by the program: if this stack manages it, pulumi up restores it to its defaults",
        ],
      }),
    );
  }
  return { kind: kind.name, typeToken: kind.typeToken, objects };
}
