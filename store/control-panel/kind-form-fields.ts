import type { z } from "zod";
import type { FieldDefinition, ResourceKind } from "../../core";
import type { ControlPanelExtension } from "./extensions";
import type { FieldControl, FormField, FormValues } from "./object-form";
import { encodeValue, valuesOf } from "./object-form";

/** Whether a form makes a new object (New) or changes a stored one (Show details, a singleton's page). */
export type FormMode = "create" | "edit";

/**
 * The fields of a kind's form for one variant, each from its definition: its label and hint,
 * a checkbox for a boolean, radio buttons labelled by its `choices`, a number, URL or text box
 * by its type, "(optional)" where it may be absent. Fields only some variants have are grouped
 * under the variant's settings (`Hosted provider settings`). On an edit form, the fields that
 * cannot change in place for the variant (docs/architecture.md: a public provider changes in place only in
 * `enabled` and `verificationLevel`) are shown read-only. The discriminator is not a field of
 * the form: the variant is chosen by the New page and fixed afterwards.
 */
export function formFieldsOf(kind: ResourceKind, variant: string | undefined, mode: FormMode): FormField[] {
  const replaced = mode === "edit" ? kind.replaceFieldsOf(variant) : [];
  const everyVariant = (name: string) => kind.variants.every((each) => kind.fieldsOf(each).includes(name));
  const variantLabel = variant === undefined ? undefined : kind.definition.variants?.values[variant]?.label;
  return kind
    .fieldsOf(variant)
    .filter((name) => name !== kind.discriminator)
    .map((name) => {
      const definition = kind.field(name);
      const readOnly = replaced.includes(name);
      const hint = readOnly
        ? `Cannot change: to change it, delete the ${kind.noun} and create a new one.`
        : definition.hint;
      return {
        name,
        label: definition.label,
        control: controlOf(kind, name, definition),
        ...(hint === undefined ? {} : { hint }),
        ...(everyVariant(name) || variantLabel === undefined
          ? {}
          : { group: `${variantLabel} ${kind.noun} settings` }),
        ...(readOnly ? { readOnly } : {}),
      };
    });
}

/** The form values of a stored object (or of a snapshot of one in the audit log). */
export function formValuesOf(kind: ResourceKind, record: Readonly<Record<string, unknown>>): FormValues {
  return valuesOf(formFieldsOf(kind, kind.variantOf(record), "edit"), record);
}

/**
 * The values a New form starts with: what the kind's extension says (the Lync procedure),
 * else each field's default, else nothing (a cleared checkbox, an empty box).
 */
export function newObjectValues(
  kind: ResourceKind,
  variant: string | undefined,
  extension: ControlPanelExtension,
): FormValues {
  const values: Record<string, string> = {};
  for (const field of formFieldsOf(kind, variant, "create")) {
    const definition = kind.field(field.name);
    const value =
      extension.newValues !== undefined && field.name in extension.newValues
        ? extension.newValues[field.name]
        : "default" in definition
          ? definition.default
          : undefined;
    values[field.name] = encodeValue(field, value ?? (field.control.type === "checkbox" ? false : ""));
  }
  return values;
}

/** The fields every variant has that are not for details only: the columns of a kind's table. */
export function tableFieldsOf(kind: ResourceKind): FormField[] {
  return kind.fields
    .filter((name) => kind.variants.every((variant) => kind.fieldsOf(variant).includes(name)))
    .filter((name) => kind.field(name).detailOnly !== true)
    .map((name) => plainFieldOf(kind, name));
}

/** Every field an object of a variant has, its discriminator included: the facts of its details. */
export function factFieldsOf(kind: ResourceKind, variant: string | undefined): FormField[] {
  return kind.fieldsOf(variant).map((name) => plainFieldOf(kind, name));
}

function plainFieldOf(kind: ResourceKind, name: string): FormField {
  const definition = kind.field(name);
  return { name, label: definition.label, control: controlOf(kind, name, definition) };
}

function controlOf(kind: ResourceKind, name: string, definition: FieldDefinition): FieldControl {
  const schema = inputSchemaOf(definition.type);
  const type = schema.def.type;
  if (type === "boolean") return { type: "checkbox" };
  if (definition.choices !== undefined) {
    return {
      type: "choice",
      legend: definition.label,
      options: Object.entries(definition.choices).map(([value, label]) => ({
        value,
        label,
        ...("default" in definition && definition.default === value ? { note: "(default)" } : {}),
      })),
    };
  }
  const bounds = schema as { minValue?: number | null; maxValue?: number | null; maxLength?: number | null };
  return {
    type: "text",
    inputType: type === "number" ? "number" : isUrl(definition.example) ? "url" : "text",
    ...(typeof bounds.maxLength === "number" ? { maxLength: bounds.maxLength } : {}),
    ...(type === "number" && typeof bounds.minValue === "number" && Number.isFinite(bounds.minValue)
      ? { min: bounds.minValue }
      : {}),
    ...(type === "number" && typeof bounds.maxValue === "number" && Number.isFinite(bounds.maxValue)
      ? { max: bounds.maxValue }
      : {}),
    ...(definition.optional === true ? { optional: true } : {}),
    ...(definition.optional !== true && !("default" in definition) ? { required: true } : {}),
    // An identity is taken as typed (its rules refuse outer spaces, and say so); other text is
    // trimmed, as a pasted FQDN or URL often carries a space.
    ...(name === kind.identityField ? {} : { trim: true }),
  };
}

// The schema of what is typed: a normalizing schema (`.transform`) is a pipe from its input.
function inputSchemaOf(schema: z.ZodType): z.ZodType {
  const def = schema.def as { type: string; in?: z.ZodType };
  return def.type === "pipe" && def.in !== undefined ? inputSchemaOf(def.in) : schema;
}

// A field whose example is a web address is a URL (the browser offers its URL keyboard).
function isUrl(example: unknown): boolean {
  return typeof example === "string" && /^https?:\/\//.test(example);
}
