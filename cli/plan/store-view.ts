import type { KindPlan } from "./plan-model";

type Bag = Readonly<Record<string, unknown>>;

/** The objects of every kind as settings, by kind name: the store now, or as the plan leaves it. */
export type StoreView = ReadonlyMap<string, readonly Bag[]>;

/** The store before the plan (every object as it is) and after it (as each object's action leaves it). */
export function viewsOf(kinds: readonly KindPlan[]): { before: StoreView; after: StoreView } {
  const before = new Map<string, Bag[]>();
  const after = new Map<string, Bag[]>();
  for (const plan of kinds) {
    const was: Bag[] = [];
    const will: Bag[] = [];
    for (const object of plan.objects) {
      if (object.before !== null) was.push(object.before);
      if (object.after !== null) will.push(object.after);
    }
    before.set(plan.kind, was);
    after.set(plan.kind, will);
  }
  return { before, after };
}
