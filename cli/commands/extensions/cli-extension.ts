import type { Command } from "commander";
import type { Color } from "../../output";
import type { KindRecord } from "../kind-record";

/**
 * A flag that sets a field to one value, such as `--enable` for `--enabled true`: the flags the
 * `imfed` command had before its commands were derived from the definitions, kept so that
 * scripts and docs that use them go on working.
 */
export interface FlagAlias {
  /** The flag, without dashes (`enable`). */
  readonly flag: string;
  /** The field it sets. */
  readonly field: string;
  /** The value it sets the field to. */
  readonly value: unknown;
  /** The help text. */
  readonly description: string;
}

/**
 * What the `imfed` command does for one resource kind beyond what its definition says, as a
 * small named extension beside the generic commands (docs/architecture.md): registered
 * by the kind's name in `cli/commands/extensions/index.ts`. A kind without one gets the generic
 * commands only.
 */
export interface KindCliExtension {
  /** The kind's name (`ImProvider`). */
  readonly kind: string;
  /**
   * Values `create` gives fields its flags leave out, where the command has a default the API
   * does not (the cmdlet's own default, such as `New-CsPublicProvider`'s `-Enabled $false`).
   * Only for fields every variant has.
   */
  readonly createDefaults?: Readonly<Record<string, unknown>>;
  /** Flags that set a field to one value, on `create` and `set` wherever the field has its flag. */
  readonly aliases?: readonly FlagAlias[];
  /** The color of a field's value in tables and facts (where colors are allowed). */
  color?(field: string, value: unknown): Color | undefined;
  /** Notes written on stderr after an object is shown (not with `--json`). */
  notes?(record: KindRecord): readonly string[];
  /** A remark added to "Created ..." after `create`, if any. */
  createdNote?(record: KindRecord): string | undefined;
  /** The kind's own subcommands (`providers block`), added to its command group. */
  commands?(): readonly Command[];
}
