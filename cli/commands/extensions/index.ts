import type { ResourceKind } from "../../../core";
import type { KindCliExtension } from "./cli-extension";
import { federationCliExtension } from "./federation";
import { imProviderCliExtension } from "./im-provider";

export type { FlagAlias, KindCliExtension } from "./cli-extension";

/** The `imfed` command's extensions of the kinds that have one, by kind name. */
const EXTENSIONS: ReadonlyMap<string, KindCliExtension> = new Map(
  [imProviderCliExtension, federationCliExtension].map((extension) => [extension.kind, extension]),
);

/** The extension of a kind's commands; a kind without one gets the generic commands only. */
export function cliExtensionOf(kind: ResourceKind): KindCliExtension {
  return EXTENSIONS.get(kind.name) ?? { kind: kind.name };
}
