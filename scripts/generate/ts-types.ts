import { z } from "zod";
import type { ResourceKind } from "../../core";
import { isReadOnlyField } from "../../core";

/** The part of a JSON Schema that the TypeScript types of the generated code are read from. */
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
}

const PRIMITIVES: Readonly<Record<string, string>> = {
  string: "string",
  boolean: "boolean",
  integer: "number",
  number: "number",
  null: "null",
};

// The TypeScript type of a JSON Schema: a union of literals for an enum or a constant, else of
// the primitive types it names. zod describes its types through `z.toJSONSchema`, so nothing
// here depends on zod's internals.
function typeOfJson(json: JsonSchema, what: string): string {
  if (json.enum !== undefined) return json.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in json) return JSON.stringify(json.const);
  const alternatives = json.anyOf ?? json.oneOf;
  if (alternatives !== undefined) {
    return [...new Set(alternatives.map((alternative) => typeOfJson(alternative, what)))].join(" | ");
  }
  const types = json.type === undefined ? [] : typeof json.type === "string" ? [json.type] : json.type;
  const mapped = types.map((type) => PRIMITIVES[type]);
  if (mapped.length === 0 || mapped.some((type) => type === undefined)) {
    throw new Error(
      `${what}: the generator knows no TypeScript type for the JSON Schema ${JSON.stringify(json)} of its zod ` +
        `type; give it a zod string, boolean, number or enum type (refinements and transforms are fine)`,
    );
  }
  return mapped.join(" | ");
}

/**
 * The TypeScript type of a field's values as a program writes them, derived from its zod type
 * (`"public" | "hosted"`, `string`, `boolean`, `number`).
 */
export function tsTypeOfField(kind: ResourceKind, field: string): string {
  const json = z.toJSONSchema(kind.field(field).type, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return typeOfJson(json, `${kind.name}.${field}`);
}

/**
 * The metadata fields of a kind's records (the fields the store keeps itself: `revision`,
 * `updatedBy`, ...), in the order of its record schema, each with its TypeScript type.
 */
export function metadataOf(kind: ResourceKind): readonly { readonly field: string; readonly type: string }[] {
  const json = z.toJSONSchema(kind.recordSchema, { io: "output", unrepresentable: "any" }) as JsonSchema;
  const shapes = json.oneOf ?? json.anyOf ?? [json];
  const metadata = new Map<string, string>();
  for (const shape of shapes) {
    for (const [field, schema] of Object.entries(shape.properties ?? {})) {
      if (isReadOnlyField(field) && !metadata.has(field))
        metadata.set(field, typeOfJson(schema, `${kind.name}.${field}`));
    }
  }
  return [...metadata].map(([field, type]) => ({ field, type }));
}
