import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BenchResults } from "../../../bench/run";
import { KINDS } from "../../../core";
import { REPO_ROOT } from "../../helpers/consumer-project";

// The benchmarks' small mode, as `npm run bench -- --small` runs it (after the build that the
// test run does first): every benchmark runs, prints its figures and writes valid results. It
// never looks at a speed: the figures of a small run on a busy machine mean nothing.

let dir: string;
let stdout = "";
let stderr = "";
let code: number | null;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "imfed-bench-"));
  const child = spawn(
    process.execPath,
    ["-r", "./bench/register.js", "bench/run.ts", "--small", "--out", path.join(dir, "results.json")],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function results(): BenchResults {
  return JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as BenchResults;
}

test("the small mode of every benchmark runs to its end", () => {
  if (code !== 0) throw new Error(`npm run bench -- --small exited with ${code}:\n${stderr}`);
  expect(code).toBe(0);
});

test("every figure is written with a finite value, its unit and its baseline's finite value", () => {
  const written = results();
  expect(written.small).toBe(true);
  expect(written.machine.cpus).toBeGreaterThan(0);
  const keys = written.figures.map((item) => item.key);
  expect(new Set(keys).size).toBe(keys.length);
  for (const item of written.figures) {
    expect(Number.isFinite(item.value)).toBe(true);
    expect(item.unit).not.toBe("");
    if (item.baseline !== undefined) {
      expect(Number.isFinite(item.baseline.value)).toBe(true);
      expect(item.ratio).toBeCloseTo(item.value / item.baseline.value);
    }
    if (item.target !== undefined) expect(typeof item.met).toBe("boolean");
  }
  expect(keys).toEqual(
    expect.arrayContaining([
      "decisions",
      "store.write.sqlite",
      "store.write.postgres",
      "provider.read",
      "program.time",
      "program.rss",
      "program.serialized-provider",
    ]),
  );
});

test("every resource kind has its read figure, derived from the kinds", () => {
  const keys = results().figures.map((item) => item.key);
  for (const kind of KINDS) expect(keys).toContain(`store.read.${kind.name}`);
});

test("the printed table has a row for every figure and for every slot kept for a figure not measured", () => {
  const written = results();
  for (const item of written.figures) expect(stdout).toContain(`| ${item.name} |`);
  for (const slot of written.slots) expect(stdout).toContain(`| ${slot.name} | not measured: ${slot.reason}`);
  expect(written.slots.map((slot) => slot.key)).toContain("plan");
});
