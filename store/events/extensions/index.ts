import type { AuditEntry, ResourceKind } from "../../../core";
import { imProviderEvents } from "./im-provider";

/** What a kind says of its changes in events, beyond the generic wording. */
export interface EventExtension {
  /** The kind's name (`ImProvider`). */
  readonly kind: string;
  /** The change as a verb and its object ("blocked Yahoo!"), or `undefined` for the generic wording. */
  readonly describeChange?: (kind: ResourceKind, id: string, entry: AuditEntry) => string | undefined;
}

const EXTENSIONS: readonly EventExtension[] = [imProviderEvents];

/** The event extension of a kind, if it has one. */
export function eventExtensionOf(kind: string): EventExtension | undefined {
  return EXTENSIONS.find((extension) => extension.kind === kind);
}
