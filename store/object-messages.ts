import type { ResourceKind, ValidationDetail } from "../core";
import { ConflictError, NotFoundError } from "../core";

/**
 * The messages of the store's refusals of an object, each worded from the kind's definition
 * (its noun, identity field, variants, change modes and unique keys' roles), so that every
 * kind reads as the providers always have.
 */

/** How validation messages name an object: `provider "Contoso"`, or `federation settings`. */
export function objectWhat(kind: ResourceKind, id: string): string {
  return kind.singletonId === undefined ? kind.describe(id) : kind.noun;
}

/** No object of that id: `provider "Nobody" not found; the list of providers shows the names in the store`. */
export function objectNotFound(kind: ResourceKind, id: string): NotFoundError {
  const identity = kind.identityField;
  if (identity === undefined)
    return new NotFoundError(`${kind.describe()} have the id "${kind.singletonId}" only`);
  // An id that is not even a valid one is shown with its control characters escaped.
  const shown = kind.field(identity).type.safeParse(id).success ? id : JSON.stringify(id).slice(1, -1);
  return new NotFoundError(
    `${kind.noun} "${shown}" not found; the list of ${kind.path} shows the ${identity}s in the store`,
  );
}

/**
 * The rule of a variant's changes in place, in words: `a public provider changes in place only
 * in enabled and verificationLevel`, `a hosted provider cannot change its name, kind or
 * proxyFqdn` (whichever list is the shorter).
 */
export function changeRuleOf(kind: ResourceKind, variant: string | undefined): string {
  const own = kind.fieldsOf(variant);
  const fixed = own.filter((field) => kind.changeModeOf(field, variant) === "replace");
  const inPlace = own.filter((field) => !fixed.includes(field));
  const subject = variant === undefined ? `a ${kind.noun}` : `a ${variant} ${kind.noun}`;
  if (inPlace.length === 0) return `${subject} cannot change in place`;
  if (inPlace.length < fixed.length) return `${subject} changes in place only in ${listOf(inPlace, "and")}`;
  return `${subject} cannot change its ${listOf(fixed, "or")}`;
}

/** A change of fields that cannot change in place: a 409 that says the kind's rule and what to do instead. */
export function cannotChangeInPlace(
  kind: ResourceKind,
  id: string,
  variant: string | undefined,
  fields: readonly string[],
): ConflictError {
  const instead = kind.singletonId === undefined ? "; delete it and create it again" : "";
  return new ConflictError(
    `${kind.describe(id)} cannot change ${fields.join(", ")} in place (${changeRuleOf(kind, variant)})${instead}`,
    fields.map((field) => ({ path: field, message: "cannot change in place" })),
  );
}

/**
 * A unique key's value held by another object, worded by the key's role: `proxyFqdn
 * "sip.example.com" is already the Access Edge of provider "Yahoo!" (public)`.
 */
export function uniqueKeyTaken(
  kind: ResourceKind,
  field: string,
  value: unknown,
  holder: Readonly<Record<string, unknown>>,
): ConflictError {
  const role = kind.definition.unique?.find((key) => key.field === field)?.role ?? "the value";
  const holderName = kind.describe(kind.idOf(holder));
  const variant = kind.variantOf(holder);
  const shown = typeof value === "string" ? `"${value}"` : JSON.stringify(value);
  const details: ValidationDetail[] = [{ path: field, message: `is used by ${holderName}` }];
  return new ConflictError(
    `${field} ${shown} is already ${role} of ${holderName}${variant === undefined ? "" : ` (${variant})`}`,
    details,
  );
}

function listOf(items: readonly string[], last: "and" | "or"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${last} ${items.at(-1)}`;
}
