import type { Command, OptionValues } from "commander";
import { Option } from "commander";
import { z } from "zod";
import type { FieldDefinition, ResourceKind } from "../../core";
import { parseBoolean, parseNumber } from "../connection";
import type { KindCliExtension } from "./extensions/cli-extension";

/** How a field's value is written on the command line, read from the JSON Schema of its zod type. */
export type ValueShape =
  | { readonly type: "boolean" }
  | { readonly type: "number" }
  | { readonly type: "enum"; readonly values: readonly string[] }
  | { readonly type: "text" };

/** The shape of a field's value on the command line: `true`/`false`, a number, one of its values, or text. */
export function valueShapeOf(field: FieldDefinition): ValueShape {
  // The input side of the schema: a transform (such as lower-casing an FQDN) does not change
  // what may be typed, and refinements have no JSON Schema form, so they are left to the store.
  const schema = z.toJSONSchema(field.type, { io: "input", unrepresentable: "any" }) as {
    readonly type?: unknown;
    readonly enum?: readonly unknown[];
  };
  if (Array.isArray(schema.enum)) return { type: "enum", values: schema.enum.map(String) };
  if (schema.type === "boolean") return { type: "boolean" };
  if (schema.type === "integer" || schema.type === "number") return { type: "number" };
  return { type: "text" };
}

/** What a command does with the fields: `create` takes every field, `set` those that change in place. */
export type FieldPurpose = "create" | "set";

/** The variants that have a field, or `[]` for a kind without variants. */
function variantsWith(kind: ResourceKind, field: string): readonly string[] {
  return kind.variants.filter((variant) => kind.fieldsOf(variant).includes(field));
}

/** The variants of which a field changes in place (`[undefined]`'s answer for a kind without variants). */
function variantsChangingInPlace(kind: ResourceKind, field: string): readonly (string | undefined)[] {
  const variants = kind.variants.length === 0 ? [undefined] : kind.variants;
  return variants.filter((variant) => kind.changeModeOf(field, variant) === "in-place");
}

/**
 * The fields a command takes flags for: `create` every field but the identity (the command's
 * argument); `set` every field that changes in place for at least one variant.
 */
export function fieldsFor(kind: ResourceKind, purpose: FieldPurpose): readonly string[] {
  return kind.fields.filter((field) =>
    purpose === "create" ? field !== kind.identityField : variantsChangingInPlace(kind, field).length > 0,
  );
}

/**
 * Adds the argument that names an object of a collection kind: its identity field, by its flag
 * (`<name>`), with the field's hint for a new object (where an id is chosen).
 */
export function addIdArgument(command: Command, kind: ResourceKind, object: "new" | "existing"): Command {
  const field = kind.field(kind.identityField ?? "");
  const description =
    object === "new"
      ? (field.hint ?? field.description)
      : `the ${kind.noun}'s ${field.flag} (compared ignoring case)`;
  return command.argument(`<${field.flag}>`, description);
}

/** The flag of a field as typed: `--fqdn`. */
export function flagOf(kind: ResourceKind, field: string): string {
  return `--${kind.field(field).flag}`;
}

// The placeholder of a flag's value in the help: <bool> for true or false, else the flag's last
// word (`--autodiscover-url <url>`, `--verification-level <level>`).
function placeholderOf(definition: FieldDefinition, shape: ValueShape): string {
  return shape.type === "boolean" ? "<bool>" : `<${definition.flag.split("-").at(-1) ?? "value"}>`;
}

/** The Control Panel's label of an enumerated value, unless it is only the value in other case. */
export function labelOf(definition: FieldDefinition, value: string): string | undefined {
  const label = definition.choices?.[value];
  return label === undefined || label.toLowerCase() === value.toLowerCase() ? undefined : label;
}

/** The help text of a field's flag: its description, its values' labels, and which variants have it. */
function helpOf(kind: ResourceKind, field: string, shape: ValueShape, purpose: FieldPurpose): string {
  const definition = kind.field(field);
  const parts = [definition.description];
  // The Control Panel's label of each value, where it says more than the value itself.
  const labelled =
    shape.type === "enum" ? shape.values.filter((value) => labelOf(definition, value) !== undefined) : [];
  if (labelled.length > 0)
    parts.push(`${labelled.map((value) => `${value}: ${labelOf(definition, value) ?? ""}`).join("; ")}.`);
  const having = variantsWith(kind, field);
  if (having.length < kind.variants.length) parts.push(`Only ${having.join(" or ")} ${kind.noun}s have it.`);
  if (purpose === "set") {
    const inPlace = variantsChangingInPlace(kind, field);
    if (having.length > 0 && inPlace.length < having.length)
      parts.push(`It changes in place only on ${inPlace.join(" or ")} ${kind.noun}s.`);
  }
  if (purpose === "create" && "default" in definition && definition.default !== undefined)
    parts.push(`Default: ${String(definition.default)}.`);
  if (shape.type === "boolean") parts.push("Takes true or false.");
  return parts.join(" ");
}

/** The option of a field's flag, with its parser, choices, help and (for `create`) default or requirement. */
export function fieldOption(
  kind: ResourceKind,
  field: string,
  purpose: FieldPurpose,
  extension: KindCliExtension,
): Option {
  const definition = kind.field(field);
  const shape = valueShapeOf(definition);
  const flag = flagOf(kind, field);
  const createDefault = purpose === "create" ? extension.createDefaults?.[field] : undefined;
  const required =
    purpose === "create" && createDefault === undefined && !("default" in definition) && !definition.optional;
  const help = helpOf(kind, field, shape, purpose);
  const option = new Option(
    `${flag} ${placeholderOf(definition, shape)}`,
    required ? `${help} Required.` : help,
  );
  if (shape.type === "boolean") option.argParser(parseBoolean(flag));
  else if (shape.type === "number") option.argParser(parseNumber(flag));
  else if (shape.type === "enum") option.choices(shape.values);
  if (createDefault !== undefined) option.default(createDefault);
  if (required) option.makeOptionMandatory();
  return option;
}

/** The flags of a command's fields: how to read the settings they give, and the flags as typed. */
export interface FieldFlags {
  /** The settings the flags give, by field name. */
  read(options: OptionValues): Record<string, unknown>;
  /** Every flag of the fields, aliases and `--clear-` flags included, as typed (`--enabled`). */
  readonly flags: readonly string[];
}

/**
 * Adds the flags of a kind's fields to a command (with the extension's aliases, and for `set`
 * a `--clear-<flag>` for each optional field), and returns how to read the settings they give:
 * a field whose flag was not given is left out, a cleared field is `null` (a merge patch's
 * removal).
 */
export function addFieldOptions(
  command: Command,
  kind: ResourceKind,
  purpose: FieldPurpose,
  extension: KindCliExtension,
): FieldFlags {
  const readers: ((options: OptionValues, settings: Record<string, unknown>) => void)[] = [];
  const flags: string[] = [];
  for (const field of fieldsFor(kind, purpose)) {
    const definition = kind.field(field);
    const option = fieldOption(kind, field, purpose, extension);
    const aliases = (extension.aliases ?? [])
      .filter((alias) => alias.field === field)
      .map((alias) => ({ alias, option: new Option(`--${alias.flag}`, alias.description) }));
    const clear =
      purpose === "set" && definition.optional
        ? new Option(
            `--clear-${definition.flag}`,
            `remove the ${definition.label} (${flagOf(kind, field)} sets it)`,
          ).conflicts(option.attributeName())
        : undefined;
    // The flags of one field exclude each other: --enable with --disable, or with --enabled.
    const all = [option, ...aliases.map((alias) => alias.option), ...(clear === undefined ? [] : [clear])];
    for (const { option: alias } of aliases)
      alias.conflicts(all.filter((other) => other !== alias).map((other) => other.attributeName()));
    for (const added of all) {
      command.addOption(added);
      flags.push(added.long ?? added.flags);
    }
    readers.push((options, settings) => {
      const value: unknown = options[option.attributeName()];
      if (value !== undefined) settings[field] = value;
      for (const { alias, option: aliasOption } of aliases)
        if (options[aliasOption.attributeName()] === true) settings[field] = alias.value;
      if (clear !== undefined && options[clear.attributeName()] === true) settings[field] = null;
    });
  }
  return {
    flags,
    read: (options) => {
      const settings: Record<string, unknown> = {};
      for (const read of readers) read(options, settings);
      return settings;
    },
  };
}
