import type { ResourceKind } from "../../core";
import { asciiLowerCase } from "../../core";

/** The `field` of a singleton's identity row in `document_keys` (a singleton has no identity field). */
export const SINGLETON_KEY_FIELD = "id";

/** One key of a document: a field and its value as the field compares it. */
export interface DocumentKey {
  readonly field: string;
  readonly valueKey: string;
}

/**
 * The keys a document holds in `document_keys`, where the database keeps each unique: its
 * identity (`idKey`, already folded) and the value of each of the kind's unique keys (a
 * provider's proxyFqdn). An absent optional value holds no key.
 */
export function documentKeysOf(
  kind: ResourceKind,
  idKey: string,
  settings: Readonly<Record<string, unknown>>,
): DocumentKey[] {
  const keys: DocumentKey[] = [{ field: kind.identityField ?? SINGLETON_KEY_FIELD, valueKey: idKey }];
  for (const { field } of kind.definition.unique ?? []) {
    const valueKey = uniqueValueKey(kind, field, settings[field]);
    if (valueKey !== undefined) keys.push({ field, valueKey });
  }
  return keys;
}

/**
 * A value as its unique key compares it: ASCII case folded for a case-insensitive field (as
 * `kind.sameValue` compares), the JSON text of a value that is not a string; `undefined` for
 * an absent value.
 */
export function uniqueValueKey(kind: ResourceKind, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return JSON.stringify(value);
  return kind.field(field).caseInsensitive ? asciiLowerCase(value) : value;
}
