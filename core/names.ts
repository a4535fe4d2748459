/**
 * Lower-cases the ASCII letters of a text and nothing else: `"\u212A"` (KELVIN SIGN) stays as
 * it is, where `toLowerCase()` would make it a "k".
 */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * The key under which a name is compared and stored uniquely. Names are ASCII (docs/architecture.md's
 * name rules), so case is folded for ASCII letters only: Unicode folding would make
 * `"\u212Aik"` (KELVIN SIGN) name "Kik". A text with any character outside printable ASCII
 * names nothing, so its key is `undefined` (and it is never sent to a database, where
 * PostgreSQL's text could not even hold a U+0000).
 */
export function nameKey(name: string): string | undefined {
  if (/[^\x20-\x7e]/.test(name)) return undefined;
  return asciiLowerCase(name);
}

/** Tells whether two names are the same name: equal once ASCII case is folded. */
export function sameName(a: string, b: string): boolean {
  const left = nameKey(a);
  return left !== undefined && left === nameKey(b);
}

/** Orders names ignoring ASCII case, then by code point (the order of every list of the store). */
export function compareNames(a: string, b: string): number {
  const left = asciiLowerCase(a);
  const right = asciiLowerCase(b);
  if (left !== right) return left < right ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
