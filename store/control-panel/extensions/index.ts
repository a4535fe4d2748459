/**
 * The Control Panel's extensions, by kind name: what is special about a kind beside its
 * definition. A new kind needs none to get its pages; it adds one here for its title, its place
 * in the navigation and any note the Lync procedure asks for.
 */
import type { ResourceKind } from "../../../core";
import { federationKind, imProviderKind } from "../../../core";
import type { ControlPanelExtension } from "./control-panel-extension";
import { defaultExtension } from "./control-panel-extension";
import { federationExtension } from "./federation";
import { imProviderExtension } from "./im-provider";

export type { ControlPanelExtension, NavigationEntry, StoredObject } from "./control-panel-extension";

const EXTENSIONS: ReadonlyMap<string, ControlPanelExtension> = new Map([
  [imProviderKind.name, imProviderExtension],
  [federationKind.name, federationExtension],
]);

/** The extension of a kind, or the default one of a kind that has none. */
export function extensionOf(kind: ResourceKind): ControlPanelExtension {
  return EXTENSIONS.get(kind.name) ?? defaultExtension(kind);
}
