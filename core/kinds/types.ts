import type { z } from "zod";
import type { LastWrite } from "../last-write";
import type { FieldDefinition, KindDefinition } from "./definition";

/**
 * The TypeScript types of a kind's objects, derived from its definition, so that no layer
 * writes a field's type by hand: `SpecOf<typeof imProviderKind.definition>` is the settings of
 * a public or a hosted provider, with each field's type taken from its zod type.
 */

/** Flattens an intersection into one object type, for readable hovers and errors. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

type FieldsOf<D extends KindDefinition> = D["fields"];

/** The names of a kind's variants, or `""` for a kind without variants. */
export type VariantOf<D extends KindDefinition> = D extends {
  readonly variants: { readonly values: infer Values };
}
  ? keyof Values & string
  : "";

/** The discriminator field of a kind with variants. */
export type DiscriminatorOf<D extends KindDefinition> = D extends {
  readonly variants: { readonly field: infer F };
}
  ? F
  : never;

type Applies<F, V> = F extends { readonly variants: readonly (infer U)[] }
  ? [V] extends [U]
    ? true
    : false
  : true;

/** The fields variant `V` of a kind has. */
export type FieldNameOf<D extends KindDefinition, V extends string = VariantOf<D>> = {
  [K in keyof FieldsOf<D>]: Applies<FieldsOf<D>[K], V> extends true ? K : never;
}[keyof FieldsOf<D>] &
  string;

type OptionalFieldOf<D extends KindDefinition, V extends string> = {
  [K in FieldNameOf<D, V>]: FieldsOf<D>[K] extends { readonly optional: true } ? K : never;
}[FieldNameOf<D, V>];

type DefaultedFieldOf<D extends KindDefinition, V extends string> = {
  [K in FieldNameOf<D, V>]: FieldsOf<D>[K] extends { readonly default: unknown } ? K : never;
}[FieldNameOf<D, V>];

type TypeOf<F> = F extends { readonly type: infer S extends z.ZodType } ? S : never;
type OutputOf<D extends KindDefinition, K, V> =
  K extends DiscriminatorOf<D> ? V : K extends keyof FieldsOf<D> ? z.output<TypeOf<FieldsOf<D>[K]>> : never;
type InputOf<D extends KindDefinition, K, V> =
  K extends DiscriminatorOf<D> ? V : K extends keyof FieldsOf<D> ? z.input<TypeOf<FieldsOf<D>[K]>> : never;

type VariantSpec<D extends KindDefinition, V extends string> = Simplify<
  { readonly [K in Exclude<FieldNameOf<D, V>, OptionalFieldOf<D, V>>]: OutputOf<D, K, V> } & {
    readonly [K in OptionalFieldOf<D, V>]?: OutputOf<D, K, V>;
  }
>;

type VariantInput<D extends KindDefinition, V extends string> = Simplify<
  {
    readonly [K in Exclude<FieldNameOf<D, V>, OptionalFieldOf<D, V> | DefaultedFieldOf<D, V>>]: InputOf<
      D,
      K,
      V
    >;
  } & { readonly [K in DefaultedFieldOf<D, V>]?: InputOf<D, K, V> } & {
    readonly [K in OptionalFieldOf<D, V>]?: InputOf<D, K, V> | null;
  }
>;

/** What the store keeps of every object besides its fields. */
export type MetadataOf<D extends KindDefinition> = LastWrite &
  (D extends { readonly identity: { readonly singleton: string } }
    ? unknown
    : { readonly createdAt: string }) &
  (D extends { readonly builtIns: readonly unknown[] } ? { readonly builtIn: boolean } : unknown);

type VariantRecord<D extends KindDefinition, V extends string> = Simplify<
  { readonly [K in Exclude<FieldNameOf<D, V>, OptionalFieldOf<D, V>>]: OutputOf<D, K, V> } & {
    readonly [K in OptionalFieldOf<D, V>]: OutputOf<D, K, V> | null;
  } & MetadataOf<D>
>;

/** The settings of an object of the kind, defaults filled: what the store validates and keeps. */
export type SpecOf<D extends KindDefinition> = { [V in VariantOf<D>]: VariantSpec<D, V> }[VariantOf<D>];

/** The settings as a caller may write them: fields with defaults may be left out, optional ones may be `null`. */
export type SpecInputOf<D extends KindDefinition> = { [V in VariantOf<D>]: VariantInput<D, V> }[VariantOf<D>];

/** An object as the store returns it: every field (an absent optional one as `null`) and the metadata. */
export type RecordOf<D extends KindDefinition> = { [V in VariantOf<D>]: VariantRecord<D, V> }[VariantOf<D>];

/** Any field definition map, for generic code. */
export type AnyFields = { readonly [name: string]: FieldDefinition };
