/**
 * Transitional: names the layers that are not yet generic over resource kinds still use, each
 * derived from the kinds' definitions (nothing here names a field). Removed once the last
 * caller reads `core/kinds` itself.
 */
import type { z } from "zod";
import type {
  HostedProviderSpec,
  ProviderKind,
  ProviderRecord,
  ProviderSpec,
  PublicProviderSpec,
  VerificationLevel,
} from "./kinds";
import { federationKind, imProviderKind } from "./kinds";
import { asciiLowerCase } from "./names";

type Bag = Readonly<Record<string, unknown>>;
const providerFields = imProviderKind.definition.fields;

/** `"public"` or `"hosted"`. */
export const providerKindSchema = providerFields.kind.type;
/** The settings of a provider, public or hosted. */
export const providerSpecSchema = imProviderKind.specSchema;
/** A provider as the store returns it. */
export const providerRecordSchema = imProviderKind.recordSchema;
/** The settings of a public provider. */
export const publicProviderSpecSchema = imProviderKind.variantSchema("public") as unknown as z.ZodType<
  PublicProviderSpec,
  unknown
>;
/** The settings of a hosted provider. */
export const hostedProviderSpecSchema = imProviderKind.variantSchema("hosted") as unknown as z.ZodType<
  HostedProviderSpec,
  unknown
>;
/** The federation settings. */
export const federationSettingsSchema = federationKind.specSchema;
/** The federation settings as the store returns them. */
export const federationRecordSchema = federationKind.recordSchema;
/** The default filtering option. */
export const DEFAULT_VERIFICATION_LEVEL = providerFields.verificationLevel.default as VerificationLevel;
/** The Control Panel's label of each filtering option. */
export const VERIFICATION_LEVEL_LABELS = providerFields.verificationLevel.choices as Readonly<
  Record<VerificationLevel, string>
>;
/** Every field of a provider. */
export const PROVIDER_SPEC_FIELDS = imProviderKind.fields as readonly ProviderSpecField[];
/** A field of a provider. */
export type ProviderSpecField = keyof typeof providerFields;
/** The fields only a hosted provider has. */
export const HOSTED_ONLY_FIELDS = imProviderKind.fields.filter(
  (field) => !imProviderKind.fieldsOf("public").includes(field),
) as readonly ProviderSpecField[];
/** The fields that cannot change in place, per kind of provider. */
export const REPLACE_ON_CHANGE_FIELDS = {
  public: imProviderKind.replaceFieldsOf("public"),
  hosted: imProviderKind.replaceFieldsOf("hosted"),
} as Readonly<Record<ProviderKind, readonly ProviderSpecField[]>>;
/** The fields of the federation settings. */
export const FEDERATION_FIELDS =
  federationKind.fields as readonly (keyof typeof federationKind.definition.fields)[];
/** The federation settings of a new store. */
export const DEFAULT_FEDERATION_SETTINGS = Object.freeze(federationKind.parse({}));
/** The built-in providers of a new store. */
export const BUILT_IN_PROVIDERS = imProviderKind.builtIns;

/** The key under which provider names are compared (ASCII case folded). */
export function providerNameKey(name: string): string {
  return asciiLowerCase(name);
}
/** The built-in provider of a name, or `undefined`. */
export function tryFindBuiltInProvider(name: string): ProviderSpec | undefined {
  return imProviderKind.tryFindBuiltIn(name);
}
/** Tells whether a provider is one of the built-ins. */
export function isBuiltInProvider(spec: Bag): boolean {
  return imProviderKind.isBuiltIn(spec);
}
/** The fields whose change from `current` to `next` cannot be made in place. */
export function fieldsThatCannotChange(current: Bag, next: Bag): ProviderSpecField[] {
  return imProviderKind.fieldsThatCannotChange(current, next) as ProviderSpecField[];
}
/** The fields whose value differs. */
export function changedProviderFields(current: Bag, next: Bag): ProviderSpecField[] {
  return imProviderKind.changedFields(current, next) as ProviderSpecField[];
}
/** Applies a JSON merge patch to a provider's settings. */
export function mergeProviderPatch(current: Bag, patch: Bag): Record<string, unknown> {
  return imProviderKind.mergePatch(current, patch);
}
/** Applies a JSON merge patch to the federation settings. */
export function mergeFederationPatch(current: Bag, patch: Bag): Record<string, unknown> {
  return federationKind.mergePatch(current, patch);
}
/** The settings part of a provider record. */
export function providerSpecOfRecord(record: ProviderRecord): ProviderSpec {
  return imProviderKind.specOf(record);
}
/** A provider field's zod type. */
export function providerFieldType(field: ProviderSpecField): z.ZodType {
  return imProviderKind.field(field).type;
}
