import type { ChangeMode, ResourceKind } from "../../core";
import { listed } from "./names";

/** What is known of one field of a kind, in words, for the SDK's doc comments and the field reference. */
export interface FieldFacts {
  readonly field: string;
  /** Whether a program must give it: no default, not optional, and every variant has it. */
  readonly required: boolean;
  /** The default in JSON (`"UseSourceVerification"`, `false`), or `undefined`. */
  readonly defaultValue: string | undefined;
  /** The variants that have it, or `undefined` for every variant. */
  readonly variants: readonly string[] | undefined;
  /** How a change is made on each variant that has it (one entry `undefined` for a kind without variants). */
  readonly changes: readonly { readonly variant: string | undefined; readonly mode: ChangeMode }[];
}

/** The facts of a field, read from its definition through the kind. */
export function factsOf(kind: ResourceKind, field: string): FieldFacts {
  const definition = kind.field(field);
  const variants = definition.variants;
  const having =
    kind.variants.length === 0 ? [undefined] : kind.variants.filter((v) => variants?.includes(v) ?? true);
  return {
    field,
    required: !("default" in definition) && !definition.optional && variants === undefined,
    defaultValue: "default" in definition ? JSON.stringify(definition.default) : undefined,
    variants,
    changes: having.map((variant) => ({ variant, mode: kind.changeModeOf(field, variant) })),
  };
}

/** Whether a change of the field replaces the object, in a sentence: `A change replaces the provider.` */
export function changeSentence(kind: ResourceKind, facts: FieldFacts): string {
  const modes = new Set(facts.changes.map((change) => change.mode));
  const only = modes.size === 1 ? [...modes][0] : undefined;
  const noun = facts.variants === undefined ? kind.noun : `${listed(facts.variants, "or")} ${kind.noun}`;
  if (only === "replace") return `A change replaces the ${noun}.`;
  if (only === "in-place") return `A change is made in place.`;
  const parts = facts.changes.map((change) =>
    change.mode === "replace"
      ? `replaces a ${change.variant ?? ""} ${kind.noun}`
      : `is made in place on a ${change.variant ?? ""} ${kind.noun}`,
  );
  return `A change ${listed(parts)}.`;
}

/** How a change is made, briefly, for a table: `replace`, `in place`, or per variant. */
export function changeSummary(facts: FieldFacts): string {
  const word = (mode: ChangeMode) => (mode === "replace" ? "replace" : "in place");
  const modes = new Set(facts.changes.map((change) => change.mode));
  if (modes.size === 1) return word([...modes][0] ?? "replace");
  return facts.changes.map((change) => `${change.variant ?? ""}: ${word(change.mode)}`).join("; ");
}

/** The variants that have a field, in words: `hosted only`, or `every` (`—` for a kind without variants). */
export function variantsSummary(kind: ResourceKind, facts: FieldFacts): string {
  if (kind.variants.length === 0) return "—";
  return facts.variants === undefined ? "every" : `${listed(facts.variants, "and")} only`;
}

/** What each field the store keeps itself means, for the outputs' doc comments and the field reference. */
export const METADATA_DESCRIPTIONS: Readonly<Record<string, string>> = {
  builtIn: "Whether the object is one of the built-ins a new store holds.",
  revision:
    "The store-wide change sequence number at the object's last write (its ETag; update and delete send it as If-Match).",
  createdAt: "When the object was created (ISO 8601 UTC).",
  updatedAt: "When the object was last written (ISO 8601 UTC).",
  updatedBy: "Who last wrote it: the name of the token.",
  updatedVia: "How it was last written: the X-Imfed-Client of the write.",
  updateReason: "Why it was last written (the X-Imfed-Reason of the write), or null.",
};

/** The description of a metadata field; throws for one this generator does not know, so that it is described before it ships. */
export function metadataDescription(kind: ResourceKind, field: string): string {
  const description = METADATA_DESCRIPTIONS[field];
  if (description === undefined) {
    throw new Error(
      `${kind.name}.${field}: describe the metadata field in METADATA_DESCRIPTIONS (scripts/generate/field-facts.ts)`,
    );
  }
  return description;
}

/** The built-ins of a collection kind by id (`MSN`, `AOL`, `Yahoo!`). */
export function builtInIds(kind: ResourceKind): string[] {
  return kind.builtIns.map((builtIn) => kind.idOf(builtIn as Readonly<Record<string, unknown>>));
}

/**
 * The cmdlet parameter a field mirrors (`` `-ProxyFqdn` ``), or what stands for it: a
 * discriminator without one is the choice of the cmdlet itself.
 */
export function cmdletOf(kind: ResourceKind, field: string): string {
  const cmdlet = kind.field(field).cmdlet;
  if (cmdlet !== "") return `\`-${cmdlet}\``;
  return field === kind.discriminator ? "none: the variant is the choice of cmdlet" : "none";
}
