import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../../../core";
import { KINDS } from "../../../core";
import { checkInputs } from "../../../provider/kind-inputs";
import { api } from "../../helpers/api";
import { makeConsumerProject, REPO_ROOT } from "../../helpers/consumer-project";
import type { Plan } from "../../../cli/plan/plan-model";
import { runImfed } from "../../helpers/imfed-cli";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// The exported program depends on the package by name; here "imfed" is the package's own code.
jest.mock("imfed", () => jest.requireActual("../../../index"), { virtual: true });

/**
 * `imfed export` against a real store holding objects of every kind with settings other than
 * the defaults: the project it writes type-checks against the package, and its program, run
 * under the SDK's mocks, declares exactly the store's objects with every setting equal to the
 * store's once the provider has checked it.
 */

let store: StoreProcess;
let scratch: string;

type Bag = Record<string, unknown>;

async function write(
  method: string,
  urlPath: string,
  body: Bag,
  client: string,
  reason: string,
): Promise<void> {
  const response = await api(store, method, urlPath, {
    token: store.adminToken,
    body,
    headers: { "x-imfed-client": client, "x-imfed-reason": encodeURIComponent(reason) },
  });
  if (response.status >= 300) throw new Error(`${method} ${urlPath}: ${response.status} ${response.text}`);
}

function exportTo(out: string, ...more: string[]) {
  return runImfed(["export", "--out", out, "--stack", "production", ...more], {
    IMFED_ENDPOINT: store.url,
    IMFED_TOKEN: store.adminToken,
  });
}

beforeAll(async () => {
  store = await startStore();
  scratch = mkdtempSync(path.join(tmpdir(), "imfed-export-"));
  // A public provider and hosted ones with every hosted-only field set; a built-in changed; two
  // names whose resource names collide ("Contoso.Chat" and "contoso chat" are both
  // "contoso-chat"); the federation settings changed.
  await write(
    "PUT",
    "/v1/providers/Contoso.Chat",
    {
      name: "Contoso.Chat",
      kind: "public",
      proxyFqdn: "sip.contoso.example",
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
    },
    "cli",
    "partner since March",
  );
  await write(
    "PUT",
    "/v1/providers/contoso%20chat",
    { name: "contoso chat", kind: "public", proxyFqdn: "xmpp.contoso.example", enabled: false },
    "api",
    "line one\n*/ process.exit(1) // \u2028 end",
  );
  await write(
    "PUT",
    "/v1/providers/Fabrikam%20Hosted%20IM",
    {
      name: "Fabrikam Hosted IM",
      kind: "hosted",
      proxyFqdn: "sip.fabrikam.example",
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: true,
      isLocal: true,
      autodiscoverUrl: "https://autodiscover.fabrikam.example/autodiscover",
    },
    "pulumi",
    "split domain",
  );
  await write("PATCH", "/v1/providers/Yahoo!", { enabled: true }, "cli", "spam wave over");
  await write(
    "PUT",
    "/v1/federation",
    {
      enabled: true,
      partnerDiscovery: true,
      archivingDisclaimer: true,
      remoteUserAccess: false,
      anonymousUserAccess: true,
    },
    "cli",
    "federation on",
  );
});

afterAll(async () => {
  await store?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

async function storeObjects(): Promise<{ kind: ResourceKind; records: Bag[] }[]> {
  const result = [];
  for (const kind of KINDS) {
    const response = await api(store, "GET", `/v1/${kind.path}`, { token: store.adminToken });
    const records = (kind.singletonId === undefined ? response.body.items : [response.body]) as Bag[];
    result.push({ kind, records });
  }
  return result;
}

describe("imfed export", () => {
  it("writes a project with the program, its settings and a README, the same bytes for the same store", async () => {
    const first = path.join(scratch, "first");
    const second = path.join(scratch, "second");
    const run = await exportTo(first);
    expect(run.stderr).toContain("wrote");
    expect(run.code).toBe(0);
    expect((await exportTo(second)).code).toBe(0);
    const files = readdirSync(first).sort();
    expect(files).toEqual(
      [
        "Pulumi.production.yaml",
        "Pulumi.yaml",
        "README.md",
        "index.ts",
        "package.json",
        "tsconfig.json",
      ].sort(),
    );
    for (const file of files)
      expect(readFileSync(path.join(second, file), "utf8")).toBe(
        readFileSync(path.join(first, file), "utf8"),
      );

    const manifest = JSON.parse(readFileSync(path.join(first, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@pulumi/pulumi", "imfed"]);
    expect(readFileSync(path.join(first, "Pulumi.production.yaml"), "utf8")).toContain(store.url);
    const program = readFileSync(path.join(first, "index.ts"), "utf8");
    expect(program).not.toContain(store.adminToken);
    // Each object's last change, in a comment; a reason cannot end its comment.
    expect(program).toContain("last changed by admin via cli at");
    expect(program).toContain(": partner since March");
    expect(program).toContain("line one\\u000a*/ process.exit(1) // \\u2028 end");
  });

  it("refuses a folder that is not empty without --force, and writes into it with --force", async () => {
    const out = path.join(scratch, "taken");
    expect((await exportTo(out)).code).toBe(0);
    writeFileSync(path.join(out, "index.ts"), "// mine\n");
    const refused = await exportTo(out);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(path.join(out, "index.ts"), "utf8")).toBe("// mine\n");
    expect((await exportTo(out, "--force")).code).toBe(0);
    expect(readFileSync(path.join(out, "index.ts"), "utf8")).toContain("new ImProvider(");
  });

  it("writes a program that type-checks against the package", async () => {
    const out = path.join(scratch, "typed");
    expect((await exportTo(out)).code).toBe(0);
    const project = makeConsumerProject({ install: "link" });
    try {
      copyFileSync(path.join(out, "index.ts"), path.join(project.dir, "index.ts"));
      copyFileSync(path.join(out, "tsconfig.json"), path.join(project.dir, "tsconfig.json"));
      const tsc = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");
      // Throws, with the compiler's messages, on any type error.
      execFileSync(process.execPath, [tsc, "-p", project.dir, "--noEmit"], { encoding: "utf8" });
    } finally {
      project.remove();
    }
  });

  it("writes a program that imfed plan finds in sync with the store: every object adopted as it is or in sync (exit 0)", async () => {
    const out = path.join(scratch, "planned");
    expect((await exportTo(out)).code).toBe(0);
    const project = makeConsumerProject({ install: "link" });
    try {
      for (const file of readdirSync(out).filter((name) => name !== "package.json"))
        copyFileSync(path.join(out, file), path.join(project.dir, file));
      const run = await runImfed(
        ["plan", project.dir, "--stack", "production", "--format", "json", "--detailed-exitcode"],
        { IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken },
      );
      expect(run.stderr).toBe("");
      const plan = JSON.parse(run.stdout) as Plan;
      const objects = await storeObjects();
      const actions = plan.kinds.flatMap(({ kind, objects: planned }) =>
        planned.map(({ id, action }) => ({ kind, id, action })),
      );
      expect(actions).toHaveLength(objects.reduce((sum, { records }) => sum + records.length, 0));
      // Objects Pulumi last wrote are in sync; the others are adopted as they are.
      expect(actions.filter(({ action }) => action !== "in-sync" && action !== "adopt")).toEqual([]);
      // Adopting objects whose settings already are the program's changes nothing in the store.
      expect([plan.outcome, plan.policy, run.code]).toEqual(["in-sync", [], 0]);
    } finally {
      project.remove();
    }
  });

  it("declares, under the SDK's mocks, every object of the store with every setting equal to the store's", async () => {
    const out = path.join(scratch, "mocked");
    expect((await exportTo(out)).code).toBe(0);
    const registered: { type: string; name: string; inputs: Bag }[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs as Bag });
          return { id: args.name, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "imfed-topology",
      "production",
      false,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after setMocks, as the engine loads a program
    require(path.join(out, "index.ts"));
    // Registrations are asynchronous: wait until every object of the store has one.
    const objects = await storeObjects();
    const total = objects.reduce((sum, { records }) => sum + records.length, 0);
    for (let waited = 0; registered.length < total && waited < 600; waited++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(registered).toHaveLength(total);

    const names = new Set<string>();
    for (const { kind, records } of objects) {
      const declared = registered.filter((resource) => resource.type === kind.typeToken);
      expect(declared).toHaveLength(records.length);
      for (const resource of declared) {
        expect(resource.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
        expect(names.has(`${kind.name}/${resource.name}`)).toBe(false);
        names.add(`${kind.name}/${resource.name}`);
        const { __provider, ...inputs } = resource.inputs;
        expect(__provider).toBeDefined();
        if (kind.singletonId === undefined) expect(inputs.adopt).toBe(true);
        const checked = checkInputs(kind, inputs);
        expect(checked.failures).toEqual([]);
        const { adopt, ...settings } = checked.inputs;
        void adopt;
        const record = records.find((candidate) => kind.idOf(candidate) === kind.idOf(settings));
        expect(record).toBeDefined();
        expect(settings).toEqual(kind.specOf(record!));
      }
    }
    // The two names that collide are told apart, each by a suffix of its own.
    const contoso = registered.filter((resource) => resource.name.startsWith("contoso-chat"));
    expect(contoso.map((resource) => resource.name)).toEqual([
      expect.stringMatching(/^contoso-chat-[0-9a-f]{8}$/),
      expect.stringMatching(/^contoso-chat-[0-9a-f]{8}$/),
    ]);
  });
});
