import { z } from "zod";
import { ValidationError } from "../errors";
import { lastWriteSchema } from "../last-write";
import { validationSummary } from "../messages";
import { nameKey, sameName } from "../names";
import type { ValidationResult } from "../validation";
import { validate } from "../validation";
import type { ChangeMode, FieldDefinition, KindDefinition } from "./definition";
import type { RecordOf, SpecInputOf, SpecOf } from "./types";

type Bag = Readonly<Record<string, unknown>>;

/**
 * A resource kind with everything derived from its definition: the zod schemas of its settings
 * and of its records, the fields each variant has, which changes force a replacement, how
 * values compare, how a merge patch applies, identities, audit targets and built-ins. Every
 * layer of imfed works through this class and never names a field of a kind itself.
 */
export class ResourceKind<const D extends KindDefinition = KindDefinition> {
  /** The definition, as declared in `core/kinds/`. */
  readonly definition: D;
  /** Every field, in the order of the definition. */
  readonly fields: readonly string[];
  /** The variants (`["public", "hosted"]`), or `[]` for a kind without variants. */
  readonly variants: readonly string[];
  /** The field that tells the variants apart, if the kind has variants. */
  readonly discriminator: string | undefined;
  /** The settings of an object, with every rule: parsing fills defaults and normalizes. */
  readonly specSchema: z.ZodType<SpecOf<D>, SpecInputOf<D>>;
  /** An object as the store returns it (for responses, the OpenAPI document and the client). */
  readonly recordSchema: z.ZodType<RecordOf<D>>;
  /** The built-in objects of a new store, parsed. */
  readonly builtIns: readonly SpecOf<D>[];

  readonly #variantSchemas = new Map<string, z.ZodObject>();

  constructor(definition: D) {
    this.definition = definition;
    this.fields = Object.keys(definition.fields);
    this.discriminator = definition.variants?.field;
    this.variants = definition.variants === undefined ? [] : Object.keys(definition.variants.values);

    const objects: z.ZodObject[] = [];
    const records: z.ZodObject[] = [];
    for (const variant of this.variants.length === 0 ? [undefined] : this.variants) {
      const shape: Record<string, z.ZodType> = {};
      const recordShape: Record<string, z.ZodType> = { ...this.#metadataShape() };
      for (const field of this.fieldsOf(variant)) {
        const definitionOfField = this.field(field);
        if (field === this.discriminator && variant !== undefined) {
          shape[field] = z.literal(variant);
          recordShape[field] = z.literal(variant);
          continue;
        }
        shape[field] = valueSchema(definitionOfField);
        recordShape[field] = definitionOfField.optional
          ? definitionOfField.type.nullable()
          : definitionOfField.type;
      }
      const object = z.strictObject(shape);
      this.#variantSchemas.set(variant ?? "", object);
      objects.push(object);
      records.push(z.object(recordShape));
    }
    const discriminator = this.discriminator;
    const choices = this.variants.map((variant) => JSON.stringify(variant));
    const oneOf = `must be ${choices.slice(0, -1).join(", ")}${choices.length > 1 ? " or " : ""}${choices.at(-1) ?? ""}`;
    this.specSchema = (discriminator === undefined
      ? objects[0]
      : z.discriminatedUnion(discriminator, objects as [z.ZodObject, ...z.ZodObject[]], {
          error: oneOf,
        })) as unknown as z.ZodType<SpecOf<D>, SpecInputOf<D>>;
    this.recordSchema = (discriminator === undefined
      ? records[0]
      : z.discriminatedUnion(
          discriminator,
          records as [z.ZodObject, ...z.ZodObject[]],
        )) as unknown as z.ZodType<RecordOf<D>>;
    this.builtIns = Object.freeze(
      (definition.builtIns ?? []).map((builtIn) =>
        Object.freeze(this.parse(builtIn, `built-in ${this.noun}`)),
      ),
    );
  }

  /** The kind's name: the SDK class and the Pulumi type's last part (`ImProvider`). */
  get name(): string {
    return this.definition.name;
  }

  /** The API path segment (`providers`). */
  get path(): string {
    return this.definition.path;
  }

  /** The short noun of messages (`provider`). */
  get noun(): string {
    return this.definition.noun;
  }

  /** What one object is, in words (`IM service provider`). */
  get title(): string {
    return this.definition.title;
  }

  /** The id of the single object of a singleton kind, else `undefined`. */
  get singletonId(): string | undefined {
    const identity = this.definition.identity;
    return "singleton" in identity ? identity.singleton : undefined;
  }

  /** The field that names the objects of a collection kind, else `undefined`. */
  get identityField(): string | undefined {
    const identity = this.definition.identity;
    return "field" in identity ? identity.field : undefined;
  }

  /** The Pulumi type token (`pulumi-nodejs:dynamic/imfed:ImProvider`). */
  get typeToken(): string {
    return `pulumi-nodejs:dynamic/imfed:${this.definition.name}`;
  }

  /** The definition of a field; throws for a name the kind does not have. */
  field(name: string): FieldDefinition {
    const field = this.definition.fields[name];
    if (field === undefined) throw new Error(`${this.name} has no field "${name}"`);
    return field;
  }

  /** The fields a variant has (every field, for a kind without variants or an unknown variant). */
  fieldsOf(variant: string | undefined): readonly string[] {
    if (variant === undefined || !this.variants.includes(variant)) return this.fields;
    return this.fields.filter((field) => {
      const variants = this.field(field).variants;
      return variants === undefined || variants.includes(variant);
    });
  }

  /** The variant of a value (its discriminator's value when it is one of the variants), else `undefined`. */
  variantOf(value: Bag): string | undefined {
    if (this.discriminator === undefined) return undefined;
    const variant = value[this.discriminator];
    return typeof variant === "string" && this.variants.includes(variant) ? variant : undefined;
  }

  /** The settings schema of one variant (for a kind without variants, `variantSchema(undefined)`). */
  variantSchema(variant: string | undefined): z.ZodObject {
    const schema = this.#variantSchemas.get(variant ?? "");
    if (schema === undefined) throw new Error(`${this.name} has no variant "${String(variant)}"`);
    return schema;
  }

  /**
   * How a change of a field is made on an object of a variant. A field the variant does not
   * have forces a replacement: its change is a change of variant.
   */
  changeModeOf(field: string, variant: string | undefined): ChangeMode {
    const definition = this.field(field);
    if (
      variant !== undefined &&
      definition.variants !== undefined &&
      !definition.variants.includes(variant)
    ) {
      return "replace";
    }
    const change = definition.change;
    if (typeof change === "string") return change;
    return (variant === undefined ? undefined : change[variant]) ?? "replace";
  }

  /** The fields whose change replaces an object of a variant, in the order of the definition. */
  replaceFieldsOf(variant: string | undefined): readonly string[] {
    return this.fields.filter((field) => this.changeModeOf(field, variant) === "replace");
  }

  /** Tells whether two values of a field are the same (ignoring ASCII case where the field says so). */
  sameValue(field: string, a: unknown, b: unknown): boolean {
    if (this.definition.fields[field]?.caseInsensitive && typeof a === "string" && typeof b === "string") {
      return sameName(a, b);
    }
    return a === b;
  }

  /** The fields whose values differ between two settings, in the order of the definition. */
  changedFields(current: Bag, next: Bag): string[] {
    return this.fields.filter((field) => !this.sameValue(field, current[field], next[field]));
  }

  /** The fields whose change from `current` to `next` cannot be made in place. */
  fieldsThatCannotChange(current: Bag, next: Bag): string[] {
    const variant = this.variantOf(current);
    return this.changedFields(current, next).filter(
      (field) => this.changeModeOf(field, variant) === "replace",
    );
  }

  /**
   * Applies a JSON merge patch (RFC 7396) to settings: a member replaces the field, `null`
   * removes it (so a field with a default goes back to it). A change of variant drops the
   * fields the new variant does not have unless the patch names them (the schema then refuses
   * those). The result is not validated.
   */
  mergePatch(current: Bag, patch: Bag): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...current };
    for (const [field, value] of Object.entries(patch)) {
      if (value === null) delete merged[field];
      else merged[field] = value;
    }
    const from = this.variantOf(current);
    const to = this.variantOf(merged);
    if (from !== undefined && to !== undefined && from !== to) {
      const kept = this.fieldsOf(to);
      for (const field of this.fieldsOf(from))
        if (!kept.includes(field) && !(field in patch)) delete merged[field];
    }
    return merged;
  }

  /** Validates settings: the parsed value (defaults filled), or every failure with its path. Never throws. */
  validate(input: unknown): ValidationResult<SpecOf<D>> {
    return validate(this.specSchema, input, (field) => this.unknownFieldMessage(field, input));
  }

  /** Validates settings and returns them parsed; throws a `ValidationError` that names `what`. */
  parse(input: unknown, what: string = this.noun): SpecOf<D> {
    const result = this.validate(input);
    if (result.ok) return result.value;
    throw new ValidationError(validationSummary(what, result.details), result.details);
  }

  /** Why a field that the kind's variant does not take was refused. */
  unknownFieldMessage(field: string, input: unknown): string {
    const definition = this.definition.fields[field];
    const variant = input !== null && typeof input === "object" ? this.variantOf(input as Bag) : undefined;
    if (definition?.variants === undefined || variant === undefined) return "is not a known field";
    const only = definition.variants.join(" or ");
    return `is a ${only}-only setting: a ${variant} ${this.noun} cannot have it (remove it, or make the ${this.noun} ${only})`;
  }

  /** The id of an object: its identity field's value, or the singleton's id. */
  idOf(value: Bag): string {
    const singleton = this.singletonId;
    if (singleton !== undefined) return singleton;
    return String(value[this.identityField ?? ""]);
  }

  /** The key an id is stored and compared under (ASCII case folded), or `undefined` when it names nothing. */
  keyOf(id: string): string | undefined {
    return this.singletonId === undefined ? nameKey(id) : id === this.singletonId ? id : undefined;
  }

  /** The audit log's target of an object: `provider/Yahoo!`, or `federation`. */
  auditTarget(id: string): string {
    const identity = this.definition.identity;
    return "singleton" in identity ? identity.auditTarget : `${identity.auditPrefix}/${id}`;
  }

  /** How messages name an object: `provider "Yahoo!"`, or `the federation settings`. */
  describe(id?: string): string {
    return this.singletonId !== undefined || id === undefined ? `the ${this.noun}` : `${this.noun} "${id}"`;
  }

  /**
   * The settings part of a record (or of a property bag): every field the record's variant
   * has, without the metadata; an absent optional field (`null`) is left out.
   */
  specOf(record: Bag): SpecOf<D> {
    const spec: Record<string, unknown> = {};
    for (const field of this.fieldsOf(this.variantOf(record))) {
      const value = record[field];
      if (value !== undefined && value !== null) spec[field] = value;
    }
    return spec as SpecOf<D>;
  }

  /** The settings of an object of this kind that a new store holds: its built-in of that id, or, for a singleton, the defaults. */
  tryFindBuiltIn(id: string): SpecOf<D> | undefined {
    const key = this.keyOf(id);
    if (key === undefined) return undefined;
    if (this.singletonId !== undefined) return this.parse({}, `default ${this.noun}`);
    return this.builtIns.find((builtIn) => this.keyOf(this.idOf(builtIn as Bag)) === key);
  }

  /**
   * Tells whether an object is one of the built-ins: a built-in's id, and the same value in
   * every field that cannot change in place (a built-in removed and created again with another
   * Access Edge is a new object, not the built-in).
   */
  isBuiltIn(value: Bag): boolean {
    if (this.singletonId !== undefined) return false;
    const builtIn = this.tryFindBuiltIn(this.idOf(value));
    if (builtIn === undefined) return false;
    return this.fieldsThatCannotChange(builtIn as Bag, value).length === 0;
  }

  #metadataShape(): Record<string, z.ZodType> {
    return {
      ...(this.definition.builtIns === undefined ? {} : { builtIn: z.boolean() }),
      ...(this.singletonId === undefined ? { createdAt: z.string() } : {}),
      ...lastWriteSchema.shape,
    };
  }
}

// A field's schema inside the settings object: with its default, or optional (where `null`
// reads as absent, so that an object read from the store can be written back as it is).
function valueSchema(field: FieldDefinition): z.ZodType {
  if ("default" in field) return field.type.default(field.default as never);
  if (field.optional)
    return field.type
      .nullish()
      .transform((value) => value ?? undefined)
      .optional();
  return field.type;
}

/** Makes a resource kind from its definition (see `core/kinds/im-provider.ts` for one). */
export function defineKind<const D extends KindDefinition>(definition: D): ResourceKind<D> {
  return new ResourceKind(definition);
}
