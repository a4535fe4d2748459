import type { EventExtension } from ".";

/**
 * A provider's block and unblock, in the words operators use: a write whose only change is
 * `enabled` is "blocked Yahoo!" or "unblocked Yahoo!" (the Lync procedure: clearing "Enable communications
 * with this provider" is the temporary block).
 */
export const imProviderEvents: EventExtension = {
  kind: "ImProvider",
  describeChange: (kind, id, entry) => {
    if (entry.action !== "update" || entry.before === null || entry.after === null) return undefined;
    const changed = kind.changedFields(entry.before, entry.after);
    if (changed.length !== 1 || changed[0] !== "enabled") return undefined;
    return `${entry.after.enabled === false ? "blocked" : "unblocked"} ${id}`;
  },
};
