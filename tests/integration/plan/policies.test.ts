import type { Plan } from "../../../cli/plan/plan-model";
import { runImfed } from "../../helpers/imfed-cli";
import type { PulumiProgram } from "../../helpers/pulumi-program";
import { makePulumiProgram } from "../../helpers/pulumi-program";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// The organization policies through `imfed plan`, on programs run as they are: each rule on a
// passing and a failing resource, reported with its level; a mandatory violation fails the plan
// (exit 1) while an advisory one only shows; the allowed partner domains come from
// imfed-policy.json in the program's folder or from --policy-config.

let store: StoreProcess;
let program: PulumiProgram;

function programOf(federationEnabled: boolean, providers: readonly Record<string, unknown>[]): string {
  const lines = [
    'import { Federation, ImProvider } from "imfed";',
    `new Federation("federation", { enabled: ${federationEnabled} });`,
    ...providers.map((provider, i) => `new ImProvider("provider-${i}", ${JSON.stringify(provider)});`),
  ];
  return `${lines.join("\n")}\n`;
}

async function plan(extra: readonly string[] = []) {
  const run = await runImfed(["plan", program.dir, "--format", "json", "--detailed-exitcode", ...extra], {
    IMFED_ENDPOINT: store.url,
    IMFED_TOKEN: store.adminToken,
  });
  return { code: run.code, stderr: run.stderr, plan: JSON.parse(run.stdout) as Plan };
}

const PASSING = {
  name: "Litware",
  kind: "public",
  proxyFqdn: "sip.litware.example",
  enabled: true,
  verificationLevel: "AlwaysUnverifiable",
};

beforeAll(async () => {
  store = await startStore();
  program = makePulumiProgram();
  program.write("Pulumi.yaml", "name: policies\nruntime: nodejs\n");
  program.write("package.json", JSON.stringify({ name: "policies", main: "index.ts" }));
  program.write(
    "imfed-policy.json",
    JSON.stringify({ allowedPartnerDomains: ["litware.example", "contoso.example"] }),
  );
}, 120_000);

afterAll(async () => {
  await store?.stop();
  program?.remove();
});

describe("imfed plan's policies", () => {
  it("pass a program whose providers comply, and the plan exits 2 for its changes", async () => {
    program.write("index.ts", programOf(true, [PASSING]));
    const { code, plan: result } = await plan();
    expect(result.policy).toEqual([]);
    expect(code).toBe(2);
  }, 120_000);

  it("fail the plan with exit 1 on each mandatory violation, naming the rule, level, object and resource", async () => {
    program.write(
      "index.ts",
      programOf(true, [
        PASSING,
        {
          name: "Contoso Open",
          kind: "public",
          proxyFqdn: "sip.contoso.example",
          enabled: true,
          verificationLevel: "AlwaysVerifiable",
        },
        { name: "Elsewhere", kind: "public", proxyFqdn: "sip.elsewhere.example", enabled: true },
      ]),
    );
    const { code, plan: result } = await plan();
    expect(code).toBe(1);
    expect(result.outcome).toBe("error");
    expect(result.policy.map(({ rule, level, id, resource }) => ({ rule, level, id, resource }))).toEqual([
      {
        rule: "public-provider-not-allow-all",
        level: "mandatory",
        id: "Contoso Open",
        resource: "provider-1",
      },
      { rule: "partner-domain-allowed", level: "mandatory", id: "Elsewhere", resource: "provider-2" },
    ]);
  }, 120_000);

  it("report an enabled provider under disabled federation as advisory, without failing the plan", async () => {
    program.write("index.ts", programOf(false, [PASSING]));
    const { code, plan: result } = await plan();
    expect(code).toBe(2);
    expect(result.policy).toEqual([
      {
        rule: "provider-needs-federation",
        level: "advisory",
        kind: "ImProvider",
        id: "Litware",
        resource: "provider-0",
        message:
          'provider "Litware" is enabled, but the program\'s federation settings disable federation, so it is not in effect: no request from it is accepted until federation is enabled',
      },
    ]);
  }, 120_000);

  it("take the allowed partner domains from --policy-config over the program's imfed-policy.json", async () => {
    program.write("index.ts", programOf(true, [PASSING]));
    program.write("strict-policy.json", JSON.stringify({ allowedPartnerDomains: ["contoso.example"] }));
    const { code, plan: result } = await plan(["--policy-config", `${program.dir}/strict-policy.json`]);
    expect(code).toBe(1);
    expect(result.policy.map((violation) => violation.rule)).toEqual(["partner-domain-allowed"]);
  }, 120_000);

  it("refuse a policy configuration that is not valid, saying what is wrong, with exit 1", async () => {
    program.write("bad-policy.json", JSON.stringify({ allowedPartnerDomain: ["contoso.example"] }));
    const run = await runImfed(
      ["plan", program.dir, "--detailed-exitcode", "--policy-config", `${program.dir}/bad-policy.json`],
      {
        IMFED_ENDPOINT: store.url,
        IMFED_TOKEN: store.adminToken,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bad-policy.json is not valid");
    expect(run.stderr).toContain("allowedPartnerDomain");
  }, 120_000);
});
