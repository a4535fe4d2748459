import { READ_ONLY_FIELDS } from "../core";
/**
 * The shapes the provider's handlers return, as `pulumi.dynamic` names them. They are written
 * out here (structurally the same) so that the handlers' module loads in the provider host
 * without loading `@pulumi/pulumi`.
 */

/** One failed rule of `check`: the property path and what is wrong there. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** What `check` returns: the inputs to use, and every failure (empty when the inputs are valid). */
export interface CheckResult {
  readonly inputs: Record<string, unknown>;
  readonly failures: CheckFailure[];
}

/** What `diff` returns. */
export interface DiffResult {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** What `create` returns: the id and the outputs. */
export interface CreateResult {
  readonly id: string;
  readonly outs: Record<string, unknown>;
}

/** What `read` returns: the live object as outputs and as inputs, or no id when it is gone. */
export interface ReadResult {
  readonly id?: string;
  readonly props?: Record<string, unknown>;
  readonly inputs?: Record<string, unknown>;
}

/** What `update` returns: the outputs. */
export interface UpdateResult {
  readonly outs: Record<string, unknown>;
}

/** The stack configuration as `configure` sees it (`pulumi.dynamic.Config`). */
export interface ConfigLike {
  get(key: string): string | undefined;
}

/** The key under which the engine keeps the serialized provider among a resource's properties. */
export const PROVIDER_KEY = "__provider";

/**
 * The value the engine sends for an input that is not known yet (during a preview), as
 * `@pulumi/pulumi/runtime/rpc` defines it.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Tells whether a value is the engine's marker of an unknown value. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/**
 * The settings fields of a property bag: without `__provider`, the store's read-only fields
 * (which the state holds as outputs), unset values, and the given fields of the resource's own.
 */
export function settingsOf(
  bag: Readonly<Record<string, unknown>>,
  ignored: readonly string[] = [],
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(bag)) {
    if (field === PROVIDER_KEY || value === undefined || ignored.includes(field)) continue;
    if ((READ_ONLY_FIELDS as readonly string[]).includes(field)) continue;
    settings[field] = value;
  }
  return settings;
}
