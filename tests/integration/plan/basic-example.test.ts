import { StoreClient } from "../../../client";
import { imProviderKind } from "../../../core";
import type { Plan, PlannedObject } from "../../../cli/plan/plan-model";
import type { CliRun } from "../../helpers/imfed-cli";
import { runImfed } from "../../helpers/imfed-cli";
import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";
import type { ProviderHost } from "../../helpers/provider-host";
import { secret, startProviderHost, urnOf } from "../../helpers/provider-host";
import type { PulumiProgram } from "../../helpers/pulumi-program";
import { makePulumiProgram } from "../../helpers/pulumi-program";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// `imfed plan` on examples/basic against a real store: a new store (creates and adoptions), the
// program applied through the provider over the SDK's own host as the engine drives it (in
// sync), then an operator's block through the API (drift with who, how, when and why, and the
// block's impact on incoming requests).

let store: StoreProcess;
let program: PulumiProgram;
let consumer: ConsumerProject;
let serialized: SerializedProviders;
let host: ProviderHost;
let viewer: string;
let admin: StoreClient;

async function plan(format: "json" | "text" | "markdown" = "json"): Promise<CliRun> {
  return runImfed(["plan", program.dir, "--format", format, "--detailed-exitcode"], {
    IMFED_ENDPOINT: store.url,
    IMFED_TOKEN: viewer,
  });
}

function parsed(run: CliRun): Plan {
  expect(run.stderr).not.toContain("imfed: ");
  return JSON.parse(run.stdout) as Plan;
}

function objects(result: Plan, kind: string): readonly PlannedObject[] {
  return result.kinds.find((plan) => plan.kind === kind)?.objects ?? [];
}

function byAction(result: Plan): Record<string, string[]> {
  const actions: Record<string, string[]> = {};
  for (const kind of result.kinds) {
    for (const object of kind.objects) (actions[object.action] ??= []).push(`${kind.kind} ${object.id}`);
  }
  return actions;
}

beforeAll(async () => {
  store = await startStore();
  admin = new StoreClient({ endpoint: store.url, token: store.adminToken, client: "cli" });
  // The plan reads only: a view-only token is enough.
  viewer = (await admin.createToken("plan-reader", "CsViewOnlyAdministrator")).token;
  program = makePulumiProgram("basic");
  consumer = makeConsumerProject({ install: "link" });
  serialized = consumer.serializeProviders();
  host = await startProviderHost({ hostScript: consumer.hostScript, cwd: consumer.dir });
  await host.configure({ "imfed:endpoint": store.url, "imfed:token": secret(store.adminToken) });
}, 180_000);

afterAll(async () => {
  await host?.stop();
  await store?.stop();
  program?.remove();
  consumer?.remove();
});

describe("imfed plan on examples/basic", () => {
  let fresh: Plan;

  it("against a new store lists the hosted provider's create and the adoptions of Yahoo! and the federation settings, and exits 2", async () => {
    const run = await plan();
    expect(run.code).toBe(2);
    // Progress goes to stderr only on a terminal or with --progress.
    expect(run.stderr).toBe("");
    fresh = parsed(run);
    expect(fresh.version).toBe(1);
    expect(fresh.outcome).toBe("changes");
    expect(byAction(fresh)).toEqual({
      adopt: ["ImProvider Yahoo!", "Federation global"],
      create: ["ImProvider Fabrikam Hosted IM"],
      unmanaged: ["ImProvider AOL", "ImProvider MSN"],
    });
    const yahoo = objects(fresh, "ImProvider").find((object) => object.id === "Yahoo!");
    expect(yahoo?.resource).toBe("yahoo");
    expect(yahoo?.changes).toEqual([
      { field: "enabled", before: false, after: true, forcesReplace: false },
      {
        field: "verificationLevel",
        before: "UseSourceVerification",
        after: "AlwaysUnverifiable",
        forcesReplace: false,
      },
    ]);
    expect(objects(fresh, "Federation")[0]?.changes).toEqual([
      { field: "enabled", before: false, after: true, forcesReplace: false },
    ]);
    expect(fresh.policy).toEqual([]);
  }, 120_000);

  it("after the program is applied through the provider over the SDK's host, says in sync and exits 0", async () => {
    for (const kind of fresh.kinds) {
      for (const object of kind.objects) {
        if (object.resource === null) continue;
        const provider =
          kind.kind === "ImProvider" ? serialized.imProviderProvider : serialized.federationProvider;
        const urn = urnOf(kind.typeToken, object.resource);
        const { inputs, failures } = await host.check(urn, {}, { ...object.after, __provider: provider });
        expect(failures).toEqual([]);
        await host.create(urn, inputs);
      }
    }
    const run = await plan("text");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(
      "imfed plan: no changes, the store matches the program; no request changes outcome; policies pass",
    );
    expect(run.stdout).toContain('in sync: "Yahoo!", "Fabrikam Hosted IM"');
    expect(run.stdout).toContain(
      'unmanaged (in the store, not declared, not written by Pulumi: left alone): "AOL", "MSN"',
    );
    expect(run.stdout).toContain("Outcome: in sync.");
  }, 120_000);

  it("after an operator blocks Yahoo! through the API with a reason, shows the drift with who, how, when and why, the block's impact, and exits 2", async () => {
    const { token } = await admin.createToken("ops-oncall", "CsAdministrator");
    const operator = new StoreClient({ endpoint: store.url, token, client: "api" });
    const blocked = await operator
      .kind(imProviderKind)
      .patch("Yahoo!", { enabled: false }, { reason: "spam wave from Yahoo! users, INC-4711" });

    const run = await plan();
    expect(run.code).toBe(2);
    const result = parsed(run);
    expect(byAction(result)).toEqual({
      update: ["ImProvider Yahoo!"],
      "in-sync": ["ImProvider Fabrikam Hosted IM", "Federation global"],
      unmanaged: ["ImProvider AOL", "ImProvider MSN"],
    });
    const yahoo = objects(result, "ImProvider").find((object) => object.id === "Yahoo!");
    expect(yahoo?.changes).toEqual([{ field: "enabled", before: false, after: true, forcesReplace: false }]);
    expect(yahoo?.drift).toEqual({
      by: "ops-oncall",
      via: "api",
      at: blocked.updatedAt,
      reason: "spam wave from Yahoo! users, INC-4711",
      revision: blocked.revision,
    });
    // Yahoo! is "contacts only" (AlwaysUnverifiable): unblocking it accepts again exactly the
    // requests of senders on the recipient's contact list, whatever the assertion.
    const text = await plan("text");
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(
      `drift: last written outside Pulumi by ops-oncall via api at ${blocked.updatedAt} (revision ${blocked.revision}); reason: "spam wave from Yahoo! users, INC-4711"`,
    );
    const impact = text.stdout.split("\n").filter((line) => line.startsWith("  Yahoo!: "));
    expect(impact).toEqual([
      "  Yahoo!: IM, verified, sender in contacts: reject → accept (client)",
      "  Yahoo!: IM, unverified, sender in contacts: reject → accept (client)",
      "  Yahoo!: IM, no assertion, sender in contacts: reject → accept (client)",
      "  Yahoo!: presence, verified, sender in contacts: reject → accept (home-server)",
      "  Yahoo!: presence, unverified, sender in contacts: reject → accept (home-server)",
      "  Yahoo!: presence, no assertion, sender in contacts: reject → accept (home-server)",
    ]);
  }, 120_000);

  it("reaches the store of the stack's imfed:endpoint when neither --endpoint nor IMFED_ENDPOINT is given", async () => {
    program.write("Pulumi.dev.yaml", `config:\n  imfed:endpoint: ${store.url}\n`);
    const run = await runImfed(["plan", program.dir, "--format", "json", "--detailed-exitcode"], {
      IMFED_TOKEN: viewer,
    });
    expect(run.code).toBe(2);
    expect(parsed(run).store).toBe(store.url);
  }, 120_000);
});
