import type { ConsumerProject } from "../tests/helpers/consumer-project";
import { makeConsumerProject } from "../tests/helpers/consumer-project";
import type { Figure } from "./figure";
import { figure } from "./figure";
import type { BenchOptions } from "./options";

// A program under the SDK's mocks declaring `count` resources, all of them `ImProvider`s or all
// plain `CustomResource`s with the same arguments; it prints the milliseconds from the first
// declaration until every resource is registered, and the process's peak RSS. Both load the
// same modules before the clock starts, so only the declarations are measured.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { ImProvider } = require("imfed");
const [which, countText] = process.argv.slice(1);
const count = Number(countText);
let registered = 0;
pulumi.runtime.setMocks(
  {
    newResource: (args) => { registered++; return { id: args.name + "-id", state: args.inputs }; },
    call: (args) => args.inputs,
  },
  "imfed-consumer",
  "bench",
  false,
);
(async () => {
  const started = performance.now();
  const resources = [];
  for (let index = 0; index < count; index++) {
    const name = "bench-" + index;
    const args = { name, kind: "public", proxyFqdn: "sip." + name + ".example", enabled: true };
    resources.push(
      which === "ImProvider"
        ? new ImProvider(name, args)
        : new pulumi.CustomResource("bench:index:Plain", name, args),
    );
  }
  await Promise.all(resources.map((resource) => new Promise((resolve) => resource.id.apply(resolve))));
  const ms = performance.now() - started;
  if (registered !== count) throw new Error("registered " + registered + " of " + count);
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface ProgramRun {
  readonly ms: number;
  readonly maxRssMb: number;
}

function runProgram(
  project: ConsumerProject,
  which: "ImProvider" | "CustomResource",
  count: number,
): ProgramRun {
  return JSON.parse(project.run(PROGRAM, [which, String(count)])) as ProgramRun;
}

/**
 * Declaring `ImProvider`s ÷ declaring plain `CustomResource`s under the SDK's mocks (time and
 * peak RSS, each program in a process of its own), and the size of the serialized provider.
 */
export async function programEvaluation(options: BenchOptions): Promise<Figure[]> {
  const project = makeConsumerProject({ install: "link" });
  try {
    const size = Buffer.byteLength(project.serializeProviders().imProviderProvider, "utf8");
    let subject = { ms: 0, maxRssMb: 0 };
    let baseline = { ms: 0, maxRssMb: 0 };
    for (let round = 0; round < options.rounds; round++) {
      const plain = runProgram(project, "CustomResource", options.objects);
      const declared = runProgram(project, "ImProvider", options.objects);
      baseline = { ms: baseline.ms + plain.ms, maxRssMb: Math.max(baseline.maxRssMb, plain.maxRssMb) };
      subject = { ms: subject.ms + declared.ms, maxRssMb: Math.max(subject.maxRssMb, declared.maxRssMb) };
    }
    return [
      figure({
        key: "program.time",
        name: `${options.objects} ImProvider declarations under the SDK's mocks (time)`,
        value: subject.ms / options.rounds,
        unit: "ms",
        baseline: { name: `${options.objects} plain CustomResources`, value: baseline.ms / options.rounds },
        target: { op: "<=", value: 1.5 },
      }),
      figure({
        key: "program.rss",
        name: `${options.objects} ImProvider declarations under the SDK's mocks (peak RSS)`,
        value: subject.maxRssMb,
        unit: "MB",
        baseline: { name: `${options.objects} plain CustomResources`, value: baseline.maxRssMb },
        target: { op: "<=", value: 1.5 },
      }),
      figure({
        key: "program.serialized-provider",
        name: "the serialized ImProvider provider",
        value: size,
        unit: "bytes",
        target: { op: "<=", value: 2048, of: "value" },
      }),
    ];
  } finally {
    project.remove();
  }
}
