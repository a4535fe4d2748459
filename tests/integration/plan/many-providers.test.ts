import { StoreClient } from "../../../client";
import { imProviderKind } from "../../../core";
import type { Plan } from "../../../cli/plan/plan-model";
import { spawn } from "node:child_process";
import { IMFED_BIN } from "../../helpers/store-process";
import type { PulumiProgram } from "../../helpers/pulumi-program";
import { makePulumiProgram } from "../../helpers/pulumi-program";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// `imfed plan` over a program of 10,000 providers reads the store with one list request per
// kind, never one request per resource, counted by the store's own request counter
// (GET /metrics). Half the providers are in the store already, as Pulumi wrote them, ten of
// those changed since by an operator. The wall time and peak memory are measured and printed
// for the record, never asserted.

const DECLARED = 10_000;
const STORED = 5_000;
const DRIFTED = 10;

const PROGRAM = `import { Federation, ImProvider } from "imfed";

new Federation("federation", { enabled: true });
for (let i = 0; i < ${DECLARED}; i++) {
  new ImProvider(\`partner-\${i}\`, {
    name: \`Partner \${i}\`,
    kind: "public",
    proxyFqdn: \`sip.partner-\${i}.example\`,
    enabled: true,
    verificationLevel: "AlwaysUnverifiable",
  });
}
`;

let store: StoreProcess;
let program: PulumiProgram;

async function requestCounts(): Promise<Map<string, number>> {
  const response = await fetch(`${store.url}/metrics`, {
    headers: { authorization: `Bearer ${store.adminToken}` },
  });
  const counts = new Map<string, number>();
  for (const match of (await response.text()).matchAll(
    /^imfed_http_requests_total\{method="(\w+)",route="([^"]+)",status_code="\d+"\} (\d+)$/gm,
  )) {
    const key = `${match[1]} ${match[2]}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(match[3]));
  }
  return counts;
}

beforeAll(async () => {
  store = await startStore();
  program = makePulumiProgram();
  program.write("Pulumi.yaml", "name: many-providers\nruntime: nodejs\n");
  program.write("package.json", JSON.stringify({ name: "many-providers", main: "index.ts" }));
  program.write("index.ts", PROGRAM);
  const pulumi = new StoreClient({ endpoint: store.url, token: store.adminToken, client: "pulumi" }).kind(
    imProviderKind,
  );
  const operator = new StoreClient({ endpoint: store.url, token: store.adminToken, client: "cli" }).kind(
    imProviderKind,
  );
  // Eight writers at a time: a bound on open connections, not a pace.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < STORED) {
        const i = next++;
        await pulumi.put(`Partner ${i}`, {
          name: `Partner ${i}`,
          kind: "public",
          proxyFqdn: `sip.partner-${i}.example`,
          enabled: true,
          verificationLevel: "AlwaysUnverifiable",
        });
      }
    }),
  );
  for (let i = 0; i < DRIFTED; i++) {
    await operator.patch(`Partner ${i}`, { enabled: false }, { reason: "blocked during an incident" });
  }
}, 600_000);

afterAll(async () => {
  await store?.stop();
  program?.remove();
});

it(`plans ${DECLARED} declared providers with one list request per kind and no request per resource`, async () => {
  const before = await requestCounts();
  // Spawned rather than run with execFile: the JSON plan of 10,000 objects is megabytes long.
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [IMFED_BIN, "plan", program.dir, "--format", "json", "--detailed-exitcode", "--progress"],
      { env: { ...process.env, IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  const after = await requestCounts();
  expect({ code: run.code, stderr: run.code === 2 ? "" : run.stderr }).toEqual({ code: 2, stderr: "" });
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  expect({
    providersList: delta("GET /v1/providers"),
    providerReads: delta("GET /v1/providers/:name"),
    federation: delta("GET /v1/federation"),
    writes: [...after.keys()]
      .filter((key) => !key.startsWith("GET "))
      .reduce((sum, key) => sum + delta(key), 0),
  }).toEqual({ providersList: 1, providerReads: 0, federation: 1, writes: 0 });

  const plan = JSON.parse(run.stdout) as Plan;
  expect(plan.summary).toMatchObject({
    create: DECLARED - STORED,
    update: DRIFTED,
    inSync: STORED - DRIFTED,
    adopt: 1,
    unmanaged: 3,
    errors: 0,
    drifted: DRIFTED,
  });
  const measured = run.stderr.split("\n").find((line) => line.includes("peak memory"));
  expect(measured).toBeDefined();
  // For the record (docs/plan.md quotes a run): wall time and peak memory of this machine.
  console.log(`imfed plan over ${DECLARED} providers: ${measured}`);
}, 600_000);
