import type { LastWrite, ResourceKind } from "../../../core";
import type { ObjectStore } from "../../object-store";
import type { SafeHtml } from "../html";
import type { KindPaths } from "../kind-paths";

/** An object of any kind as the store returns it, as the Control Panel's generic code reads it. */
export type StoredObject = Readonly<Record<string, unknown>> & LastWrite & { readonly builtIn?: boolean };

/** Where a kind's page is listed in the navigation. */
export interface NavigationEntry {
  /** The heading the entry is listed under (`External User Access`); it links to its first entry. */
  readonly group?: string;
  /** The entry's label (`Providers`). */
  readonly label: string;
}

/**
 * What is special about a resource kind in the Control Panel, beside what its definition says:
 * where its page is and what it is called, what a New form starts with, notes the Lync procedure asks for,
 * and how a success message sums up a write. Everything else (the tables, forms, views, labels,
 * hints, choices, read-only fields, the audit view, the lost-update logic) is derived from the
 * kind's definition; a kind without an extension gets {@link defaultExtension}.
 */
export interface ControlPanelExtension {
  /** The heading and title of the kind's page: the list of a collection, the form of a singleton. */
  readonly title: string;
  readonly navigation: NavigationEntry;
  /** Values a New form starts with, in place of the fields' defaults (by field name). */
  readonly newValues?: Readonly<Record<string, unknown>>;
  /**
   * A note at the top of the kind's page (the list of a collection, or the singleton's form,
   * then given its object). It reads what it needs through the object store.
   */
  note?(objects: ObjectStore, record?: StoredObject): Promise<SafeHtml | "">;
  /** What a success message says of the object after naming it (`communications enabled`). */
  outcome?(record: StoredObject): string;
  /** Advice on an object's delete confirmation, such as a gentler alternative. */
  deleteAdvice?(record: StoredObject, paths: KindPaths): SafeHtml | "";
}

/** The extension of a kind that has none: its name as title and navigation entry. */
export function defaultExtension(kind: ResourceKind): ControlPanelExtension {
  return { title: kind.name, navigation: { label: kind.name } };
}
