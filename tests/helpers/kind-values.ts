import type { ResourceKind } from "../../core";
import { valueShapeOf } from "../../cli/commands/kind-options";

/** Settings of an object, field by field. */
export type Settings = Record<string, unknown>;

/** Tells whether a kind is a collection of named objects (not a singleton). */
export function isCollection(kind: ResourceKind): boolean {
  return kind.singletonId === undefined;
}

/** The variants of a kind, or one undefined variant for a kind without variants. */
export function variantsOf(kind: ResourceKind): readonly (string | undefined)[] {
  return kind.variants.length === 0 ? [undefined] : kind.variants;
}

/** Tells whether a field has a default value. */
export function hasDefault(kind: ResourceKind, field: string): boolean {
  return "default" in kind.field(field) && kind.field(field).default !== undefined;
}

/**
 * A valid value of a field that differs from its default (its example, or the other boolean or
 * choice), so that a layer that drops the field, and so falls back to the default, shows.
 */
export function valueOf(kind: ResourceKind, field: string, variant: string | undefined): unknown {
  if (field === kind.discriminator) return variant;
  const definition = kind.field(field);
  if (!hasDefault(kind, field) || definition.example !== definition.default) return definition.example;
  const shape = valueShapeOf(definition);
  if (shape.type === "boolean") return !definition.default;
  if (shape.type === "enum") return shape.values.find((value) => value !== definition.default);
  throw new Error(`give ${kind.name}.${field} an example that differs from its default`);
}

/** Every field of a variant set to a value that differs from its default. */
export function settingsOf(kind: ResourceKind, variant: string | undefined): Settings {
  return Object.fromEntries(kind.fieldsOf(variant).map((field) => [field, valueOf(kind, field, variant)]));
}
