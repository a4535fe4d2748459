/**
 * The resource kinds of imfed, each declared once (docs/architecture.md). A new kind is
 * one new definition file here plus its entry in {@link KINDS}; a new field of a kind is a
 * change to its definition (and `npm run generate`).
 */
import { federationKind } from "./federation";
import { imProviderKind } from "./im-provider";
import type { ResourceKind } from "./resource-kind";

export * from "./definition";
export * from "./types";
export * from "./resource-kind";
export * from "./im-provider";
export * from "./federation";

/** Every resource kind, in the order the API, the CLI, the Control Panel and the docs list them. */
export const KINDS: readonly ResourceKind[] = [imProviderKind, federationKind] as readonly ResourceKind[];

/** The kind of a name (`ImProvider`), or `undefined`. */
export function tryFindKind(name: string): ResourceKind | undefined {
  return KINDS.find((kind) => kind.name === name);
}

/** The kind of a name (`ImProvider`); throws for a name no kind has. */
export function findKind(name: string): ResourceKind {
  const kind = tryFindKind(name);
  if (kind === undefined)
    throw new Error(`no resource kind named "${name}"; the kinds are ${KINDS.map((k) => k.name).join(", ")}`);
  return kind;
}
