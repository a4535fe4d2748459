import type { AuditEntry, ResourceKind } from "../../core";
import { KINDS } from "../../core";
import { eventExtensionOf } from "./extensions";

type Bag = Readonly<Record<string, unknown>>;

/**
 * A change event as the store delivers it: the audit entry, whether it is drift, and a line
 * fit for a chat message.
 */
export interface ChangeEvent extends AuditEntry {
  /** The kind of the object the entry is about (`ImProvider`), or `null` (a token, a subscription). */
  readonly kind: string | null;
  /** The object was last written by Pulumi, and this write came from elsewhere. */
  readonly drift: boolean;
  /** One line for people: `ops-oncall blocked Yahoo! via control-panel: spam wave, incident 42`. */
  readonly summary: string;
}

/** The kind and id of an audit target (`provider/Yahoo!`, `federation`), or `undefined` for another target. */
export function objectOfTarget(target: string): { kind: ResourceKind; id: string } | undefined {
  for (const kind of KINDS) {
    const identity = kind.definition.identity;
    if ("singleton" in identity) {
      if (target === identity.auditTarget) return { kind, id: identity.singleton };
    } else if (target.startsWith(`${identity.auditPrefix}/`)) {
      return { kind, id: target.slice(identity.auditPrefix.length + 1) };
    }
  }
  return undefined;
}

/**
 * Tells whether an entry is drift: its object was last written by Pulumi (`updatedVia` of the
 * snapshot before) and this write came another way.
 */
export function isDrift(entry: AuditEntry): boolean {
  return entry.before?.updatedVia === "pulumi" && entry.via !== "pulumi";
}

// The verb and object of a change, generic over kinds: "created provider Fabrikam",
// "deleted ...", "changed the federation settings (enabled false -> true)".
function genericChange(kind: ResourceKind, id: string, entry: AuditEntry): string {
  const name = kind.singletonId === undefined ? `${kind.noun} ${id}` : `the ${kind.noun}`;
  if (entry.action === "create") return `created ${name}`;
  if (entry.action === "delete") return `deleted ${name}`;
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const changed = kind.changedFields(before as Bag, after as Bag);
  const shown = changed.map((field) => `${field} ${show(before[field])} -> ${show(after[field])}`);
  return shown.length === 0 ? `rewrote ${name}` : `changed ${name} (${shown.join(", ")})`;
}

function show(value: unknown): string {
  return value === undefined || value === null
    ? "unset"
    : typeof value === "string"
      ? value
      : JSON.stringify(value);
}

/** The one-line summary of an entry: who did what, how, and why. */
export function summaryOf(entry: AuditEntry): string {
  const object = objectOfTarget(entry.target);
  let change: string;
  if (object === undefined) change = `${entry.action}d ${entry.target}`;
  else {
    const extension = eventExtensionOf(object.kind.name);
    change =
      extension?.describeChange?.(object.kind, object.id, entry) ??
      genericChange(object.kind, object.id, entry);
  }
  const reason = entry.reason === null ? "" : `: ${entry.reason}`;
  return `${entry.actor} ${change} via ${entry.via}${reason}`.replace(/[\r\n]+/g, " ");
}

/** The change event of an audit entry. */
export function changeEventOf(entry: AuditEntry): ChangeEvent {
  return {
    ...entry,
    kind: objectOfTarget(entry.target)?.kind.name ?? null,
    drift: isDrift(entry),
    summary: summaryOf(entry),
  };
}
