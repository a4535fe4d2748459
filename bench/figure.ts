/** A target a figure is held to (BENCHMARKS.md, "The figures"). */
export interface Target {
  /** `>=`: the ratio (or value) must be at least `value`; `<=`: at most. */
  readonly op: ">=" | "<=";
  readonly value: number;
  /** Whether the target bounds the ratio to the baseline (default) or the value itself. */
  readonly of?: "ratio" | "value";
}

/** One measured figure, beside the baseline measured in the same run. */
export interface Figure {
  /** A stable key, such as `store.read.ImProvider`. */
  readonly key: string;
  /** What is measured, as the table shows it. */
  readonly name: string;
  readonly value: number;
  /** The unit of `value` (and of the baseline's), such as `req/s`. */
  readonly unit: string;
  /** What the value is compared with, measured in the same run. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** `value ÷ baseline.value`. */
  readonly ratio?: number;
  readonly target?: Target;
  /** Whether the target holds; `undefined` when the figure has none. */
  readonly met?: boolean;
  /** Further measurements of the same run (RSS, calls to the store, sizes...). */
  readonly details?: Readonly<Record<string, number | string>>;
}

/** A figure with its ratio and whether its target is met, computed from the value and the baseline. */
export function figure(input: Omit<Figure, "ratio" | "met">): Figure {
  const ratio = input.baseline === undefined ? undefined : input.value / input.baseline.value;
  const target = input.target;
  let met: boolean | undefined;
  if (target !== undefined) {
    const measured = target.of === "value" ? input.value : ratio;
    if (measured !== undefined)
      met = target.op === ">=" ? measured >= target.value : measured <= target.value;
  }
  return { ...input, ...(ratio === undefined ? {} : { ratio }), ...(met === undefined ? {} : { met }) };
}

/** A figure that could not be measured in this run, and why (a slot kept in the table). */
export interface Slot {
  readonly key: string;
  readonly name: string;
  readonly reason: string;
}

function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}

/** The figures as a Markdown table: figure, value, baseline, ratio, target, met. */
export function formatTable(figures: readonly Figure[], slots: readonly Slot[]): string {
  const rows = [
    "| figure | value | baseline (same run) | ratio | target | met |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const item of figures) {
    const baseline =
      item.baseline === undefined
        ? ""
        : `${number(item.baseline.value)} ${item.unit} (${item.baseline.name})`;
    const target =
      item.target === undefined
        ? ""
        : `${item.target.of === "value" ? "value" : "ratio"} ${item.target.op} ${item.target.value}`;
    const met = item.met === undefined ? "" : item.met ? "yes" : "NO";
    const details =
      item.details === undefined
        ? ""
        : ` (${Object.entries(item.details)
            .map(([name, value]) => `${name} ${typeof value === "number" ? number(value) : value}`)
            .join(", ")})`;
    rows.push(
      `| ${item.name} | ${number(item.value)} ${item.unit}${details} | ${baseline} | ${item.ratio === undefined ? "" : number(item.ratio)} | ${target} | ${met} |`,
    );
  }
  for (const slot of slots) rows.push(`| ${slot.name} | not measured: ${slot.reason} | | | | |`);
  return rows.join("\n");
}
