import type { Slot } from "./figure";

/**
 * The slot of `imfed plan` over 10,000 providers (wall time, peak RSS, calls to the store;
 * its target: one list call per kind, ≤ 300 MB peak RSS). `imfed plan` is not part of this
 * code base yet; when it is, this benchmark runs it against a store of 10,000 providers.
 */
export const PLAN_SLOT: Slot = {
  key: "plan",
  name: "imfed plan over 10,000 providers (wall time, peak RSS, store calls)",
  reason: "imfed plan does not exist in this code base yet; the slot is kept for it",
};
