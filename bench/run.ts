// `npm run bench`: runs every benchmark, prints the table of each figure beside its baseline of
// the same run and its target, and writes bench/results.json (BENCHMARKS.md says what each
// figure means). `--small` (or IMFED_BENCH_SMALL=1) runs each briefly, to show that it works.
// `--out <file>` writes the results elsewhere; `--only <key prefix>` runs only some benchmarks.
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { decisions } from "./decisions";
import type { Figure, Slot } from "./figure";
import { formatTable } from "./figure";
import { benchOptions } from "./options";
import { PLAN_SLOT } from "./plan";
import { programEvaluation } from "./program-evaluation";
import { providerReads } from "./provider-reads";
import { storeReads, storeWrites } from "./store-http";

/** What `bench/results.json` holds. */
export interface BenchResults {
  readonly date: string;
  readonly small: boolean;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryMb: number;
    readonly node: string;
    /** The 1, 5 and 15 minute load averages at the start and at the end of the run. */
    readonly loadBefore: readonly number[];
    readonly loadAfter: readonly number[];
  };
  readonly figures: readonly Figure[];
  readonly slots: readonly Slot[];
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const small = process.argv.includes("--small") || process.env.IMFED_BENCH_SMALL === "1";
  const only = argument("--only");
  const out = argument("--out") ?? path.join(__dirname, "results.json");
  const options = benchOptions(small);
  const loadBefore = loadavg();
  const wanted = (key: string) => only === undefined || key.startsWith(only) || only.startsWith(key);
  const figures: Figure[] = [];
  const show = (items: readonly Figure[]) => {
    figures.push(...items);
    for (const item of items) console.error(`measured ${item.key}: ${item.value} ${item.unit}`);
  };

  if (wanted("decisions")) show(decisions(options));
  let readRate = Number.NaN;
  if (wanted("store")) {
    const reads = await storeReads(options);
    show(reads.figures);
    readRate = reads.readRate;
    if (wanted("store.write")) show(await storeWrites(options, readRate));
  }
  if (wanted("provider")) show(await providerReads(options));
  if (wanted("program")) show(await programEvaluation(options));
  const slots = wanted("plan") ? [PLAN_SLOT] : [];

  const results: BenchResults = {
    date: new Date().toISOString(),
    small,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryMb: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
      loadBefore,
      loadAfter: loadavg(),
    },
    figures,
    slots,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(" ");
  console.log(
    `imfed benchmarks${small ? " (small mode: the figures mean nothing)" : ""}, ${results.date}, ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${process.version}; load average ${load(loadBefore)} before, ${load(results.machine.loadAfter)} after\n`,
  );
  console.log(formatTable(figures, slots));
  console.log(`\nwritten to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
