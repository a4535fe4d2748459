import type { KindDefinition, ResourceKind, SpecOf, ValidationDetail } from "../core";
import type { CheckFailure, CheckResult, DiffResult } from "./results";
import { UNKNOWN, isUnknown, settingsOf } from "./results";

type Bag = Readonly<Record<string, unknown>>;

/**
 * A kind as the generic code handles it. The kinds of `core/kinds` are typed by their own
 * definitions, which the generic `ResourceKind` does not take as they are (as `KINDS` says too).
 */
export function anyKind<const D extends KindDefinition>(kind: ResourceKind<D>): ResourceKind {
  return kind as unknown as ResourceKind;
}

/**
 * The input of a collection kind's resources that is not a setting: `adopt: true` makes create
 * take over an existing object of that id. The store never holds it; the state keeps it as
 * declared. A singleton's create always adopts its one object, so a singleton has no `adopt`.
 */
export const ADOPT = "adopt";

/** Tells whether a kind's resources take `adopt` (every collection kind; a singleton always adopts). */
export function takesAdopt<const D extends KindDefinition>(generic: ResourceKind<D>): boolean {
  return anyKind(generic).singletonId === undefined;
}

// The settings of a property bag: those of `settingsOf`, without `adopt` where the kind takes it.
function kindSettingsOf(kind: ResourceKind, bag: Bag): Record<string, unknown> {
  return settingsOf(bag, takesAdopt(kind) ? [ADOPT] : []);
}

/**
 * The variant whose placeholder stands for an unknown discriminator: the one with the most
 * fields, so that every field a program may give alongside it is judged by its own rules.
 */
export function placeholderVariant<const D extends KindDefinition>(
  generic: ResourceKind<D>,
): string | undefined {
  const kind = anyKind(generic);
  let widest: string | undefined;
  for (const variant of kind.variants) {
    if (widest === undefined || kind.fieldsOf(variant).length > kind.fieldsOf(widest).length)
      widest = variant;
  }
  return widest;
}

/**
 * The value a field stands in with while its real value is unknown (a preview of an input that
 * depends on another resource's output), so that the other fields can still be validated: the
 * field's `example`, or for the discriminator the widest variant.
 */
export function placeholderOf<const D extends KindDefinition>(
  generic: ResourceKind<D>,
  field: string,
): unknown {
  const kind = anyKind(generic);
  if (field === kind.discriminator) return placeholderVariant(kind);
  return kind.definition.fields[field]?.example ?? null;
}

// The fields every variant has (every field of a kind without variants).
function commonFields(kind: ResourceKind): readonly string[] {
  return kind.fields.filter((field) =>
    kind.variants.every((variant) => kind.fieldsOf(variant).includes(field)),
  );
}

// The fields a bag's variant has, or the fields common to every variant when its variant is not known.
function fieldsOfBag(kind: ResourceKind, bag: Bag): readonly string[] {
  const variant = kind.variantOf(bag);
  return variant === undefined ? commonFields(kind) : kind.fieldsOf(variant);
}

function topField(detail: ValidationDetail): string {
  return detail.path.split(".")[0] ?? "";
}

/**
 * Validates the declared settings of a resource with its kind's schema: every failure with its
 * property path; on success the inputs with defaults filled and values normalized (a
 * `proxyFqdn` lower-cased), so a value that differs only in case never causes a diff. Fields
 * whose value is not known yet (a preview) stay unknown and are not judged; with the
 * discriminator unknown, no default of a field that only some variants have is added.
 */
export function checkInputs<const D extends KindDefinition>(
  generic: ResourceKind<D>,
  news: Bag,
): CheckResult {
  const kind = anyKind(generic);
  const failures: CheckFailure[] = [];
  const adopt = takesAdopt(kind) ? news[ADOPT] : undefined;
  if (adopt !== undefined && adopt !== null && !isUnknown(adopt) && typeof adopt !== "boolean") {
    failures.push({ property: ADOPT, reason: "must be true or false" });
  }
  const settings = kindSettingsOf(kind, news);
  const unknownFields = Object.keys(settings).filter((field) => isUnknown(settings[field]));
  const probe: Record<string, unknown> = { ...settings };
  for (const field of unknownFields) probe[field] = placeholderOf(kind, field);
  const result = kind.validate(probe);
  if (!result.ok) {
    for (const detail of result.details) {
      if (unknownFields.includes(topField(detail))) continue;
      failures.push({ property: detail.path, reason: detail.message });
    }
  }
  if (failures.length > 0 || !result.ok) return { inputs: { ...news }, failures };

  const inputs: Record<string, unknown> = { ...result.value };
  if (unknownFields.length > 0) {
    for (const field of unknownFields) inputs[field] = UNKNOWN;
    if (kind.discriminator !== undefined && isUnknown(settings[kind.discriminator])) {
      const common = commonFields(kind);
      for (const field of kind.fields)
        if (!common.includes(field) && !(field in settings)) delete inputs[field];
    }
  }
  if (typeof adopt === "boolean" || isUnknown(adopt)) inputs[ADOPT] = adopt;
  return { inputs, failures: [] };
}

/**
 * The declared settings of checked inputs, parsed again (so a handler never writes what the
 * schema refuses); throws a `ValidationError` that names the kind and every failure's path.
 */
export function specOfInputs<const D extends KindDefinition>(
  generic: ResourceKind<D>,
  inputs: Bag,
): SpecOf<KindDefinition> {
  const kind = anyKind(generic);
  return kind.parse(kindSettingsOf(kind, inputs), `${kind.name} settings`);
}

/**
 * The settings of an object as the store returned it, as inputs (an absent optional field left
 * out), with `adopt` as declared: the store does not hold it, and inputs without it would show
 * `+ adopt` in the next preview.
 */
export function inputsOfRecord<const D extends KindDefinition>(
  generic: ResourceKind<D>,
  record: Bag,
  adopt?: unknown,
): Record<string, unknown> {
  const kind = anyKind(generic);
  const inputs: Record<string, unknown> = { ...kind.specOf(record) };
  if (takesAdopt(kind) && typeof adopt === "boolean") inputs[ADOPT] = adopt;
  return inputs;
}

/** The outputs of an object as the store returned it: every field and the metadata, with `adopt` as declared. */
export function outputsOfRecord<const D extends KindDefinition>(
  generic: ResourceKind<D>,
  record: Bag,
  adopt?: unknown,
): Record<string, unknown> {
  const kind = anyKind(generic);
  const outputs: Record<string, unknown> = { ...record };
  if (takesAdopt(kind) && typeof adopt === "boolean") outputs[ADOPT] = adopt;
  return outputs;
}

// The value each field takes when left out, so that state written before a default existed, or
// a value left out of the inputs, compares equal to the default; an absent optional field is
// `null` in a record and left out of inputs, which is the same.
function withDefaults(kind: ResourceKind, bag: Bag): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...bag };
  for (const field of fieldsOfBag(kind, bag)) {
    const definition = kind.field(field);
    if (filled[field] === null && definition.optional) delete filled[field];
    else if ((filled[field] === undefined || filled[field] === null) && "default" in definition)
      filled[field] = definition.default;
  }
  return filled;
}

// Whether a new value keeps an old identity or unique key: the store would refuse the
// replacement beside the old object. A value not known yet may turn out the same.
function keeps(kind: ResourceKind, field: string, old: unknown, next: unknown): boolean {
  if (isUnknown(next)) return true;
  return old !== undefined && old !== null && next !== undefined && kind.sameValue(field, old, next);
}

/**
 * Compares the state of a resource (the old outputs) with its new checked inputs: `changes`
 * when any setting differs (compared as the kind compares it, so names differ only beyond ASCII
 * case), `replaces` for the changed fields the old object's variant cannot change in place,
 * and `deleteBeforeReplace` when the replacement keeps the identity or a unique key of the old
 * object (a provider's name or `proxyFqdn`), which the store would refuse beside it. `adopt`
 * only matters to create and never causes a diff.
 */
export function diffInputs<const D extends KindDefinition>(
  generic: ResourceKind<D>,
  olds: Bag,
  news: Bag,
): DiffResult {
  const kind = anyKind(generic);
  const old = withDefaults(kind, olds);
  const next = withDefaults(kind, news);
  const changed = kind.fields.filter(
    (field) => isUnknown(next[field]) || !kind.sameValue(field, old[field], next[field]),
  );
  const variant = kind.variantOf(old);
  const replaces = changed.filter((field) => kind.changeModeOf(field, variant) === "replace");
  const keys = [
    ...(kind.identityField === undefined ? [] : [kind.identityField]),
    ...(kind.definition.unique ?? []).map((key) => key.field),
  ];
  const keepsKey =
    kind.singletonId !== undefined || keys.some((field) => keeps(kind, field, old[field], next[field]));
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && keepsKey };
}
