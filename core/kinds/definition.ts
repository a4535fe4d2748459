import type { z } from "zod";

/**
 * How a change of a field reaches the store: `"in-place"` (the object is updated, as by a
 * `Set-Cs*` cmdlet) or `"replace"` (the object must be removed and created again).
 */
export type ChangeMode = "in-place" | "replace";

/**
 * One field of a resource kind, declared once: every layer (the store, the client, the Pulumi
 * provider, the SDK, the CLI, the Control Panel, the docs) reads it from here.
 */
export interface FieldDefinition {
  /** The zod type of a value, without its default or optionality (those are the next two members). */
  readonly type: z.ZodType;
  /** The value the field takes when it is left out. Without it (and without `optional`) the field is required. */
  readonly default?: unknown;
  /** The field may be absent and has no default; the store returns it as `null` then. */
  readonly optional?: true;
  /** The variants that have the field (`["hosted"]`); absent: every variant. */
  readonly variants?: readonly string[];
  /**
   * Whether a change is made in place or forces a replacement, for every variant at once or
   * per variant. A field a variant does not have forces a replacement there (a change of it is
   * a change of variant).
   */
  readonly change: ChangeMode | { readonly [variant: string]: ChangeMode };
  /** Values that differ only in ASCII case are the same value (names, DNS names). */
  readonly caseInsensitive?: true;
  /** A valid value, shown in the docs and used where the real value is not known yet (a preview). */
  readonly example: unknown;
  /** One sentence that says what the field is. */
  readonly description: string;
  /** The parameter of the Lync Server cmdlets the field mirrors (`ProxyFqdn`), without the dash. */
  readonly cmdlet: string;
  /** The Control Panel's label of the field. */
  readonly label: string;
  /** The Control Panel's hint under the label, if any. */
  readonly hint?: string;
  /** The CLI flag, without dashes (`fqdn` for `--fqdn`). */
  readonly flag: string;
  /** The Control Panel label of each value of an enumerated field. */
  readonly choices?: { readonly [value: string]: string };
  /**
   * Shown only in detailed output (the cmdlet leaves it out of its default view): the CLI's
   * table and facts list it with `--all`, the Control Panel under the object's details.
   */
  readonly detailOnly?: true;
}

/** One variant of a kind (a public or a hosted provider): how people and cmdlets name it. */
export interface VariantDefinition {
  /** The Control Panel's name of the variant ("Public"). */
  readonly label: string;
  /** The cmdlets that create and change this variant (`New-CsPublicProvider`, `Set-CsPublicProvider`). */
  readonly cmdlets: readonly string[];
  /** One sentence that says what the variant is. */
  readonly description: string;
}

/** The identity of the objects of a kind: a field of theirs, or one object per store. */
export type IdentityDefinition<Field extends string = string> =
  | {
      /** Objects are named by a field, compared ignoring ASCII case. */
      readonly field: Field;
      /** The audit log's target prefix: `provider` for `provider/<name>`. */
      readonly auditPrefix: string;
    }
  | {
      /** The store holds one object of this kind, with this id. */
      readonly singleton: string;
      /** The audit log's target of the object. */
      readonly auditTarget: string;
    };

/** A field whose value no two objects of the kind may share (besides the identity). */
export interface UniqueKeyDefinition<Field extends string = string> {
  readonly field: Field;
  /** What the value is to its holder, for the conflict message ("the Access Edge"). */
  readonly role: string;
}

/**
 * A resource kind, declared once as data (docs/architecture.md). Everything else
 * (schemas, the store's persistence and routes, the client, the providers, the SDK classes,
 * the CLI commands, the Control Panel pages and the field reference) is derived from it.
 */
export interface KindDefinition<
  Fields extends { readonly [name: string]: FieldDefinition } = { readonly [name: string]: FieldDefinition },
  Variant extends string = string,
> {
  /** The kind's name: the SDK class and the Pulumi type (`pulumi-nodejs:dynamic/imfed:<name>`). */
  readonly name: string;
  /** What one object is, in words ("IM service provider"). */
  readonly title: string;
  /** The short noun messages use ("provider", "federation settings"). */
  readonly noun: string;
  /** The API's path segment (`/v1/<path>`), also the CLI's command group. */
  readonly path: string;
  /** One or two sentences that say what the kind is; the SDK class's doc comment. */
  readonly description: string;
  readonly identity: IdentityDefinition<keyof Fields & string>;
  /** The variants, told apart by one field (the discriminator). */
  readonly variants?: {
    readonly field: keyof Fields & string;
    readonly values: { readonly [V in Variant]: VariantDefinition };
  };
  readonly fields: Fields;
  /** The unique keys besides the identity, compared as the field compares. */
  readonly unique?: readonly UniqueKeyDefinition<keyof Fields & string>[];
  /** The objects a new store holds; they are adopted on create and restored on delete. */
  readonly builtIns?: readonly { readonly [F in keyof Fields]?: unknown }[];
}
