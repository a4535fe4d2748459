import { runImfed } from "../../helpers/imfed-cli";
import type { PulumiProgram } from "../../helpers/pulumi-program";
import { makePulumiProgram } from "../../helpers/pulumi-program";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// What `imfed plan --detailed-exitcode` does when it cannot plan: every failure exits 1 (2 is
// kept for changes), with a message that says what failed and what to do.

let store: StoreProcess;
let program: PulumiProgram;

function plan(args: readonly string[] = []) {
  return runImfed(["plan", program.dir, "--detailed-exitcode", ...args], {
    IMFED_ENDPOINT: store.url,
    IMFED_TOKEN: store.adminToken,
  });
}

beforeAll(async () => {
  store = await startStore();
  program = makePulumiProgram();
  program.write("Pulumi.yaml", "name: errors\nruntime: nodejs\n");
  program.write("package.json", JSON.stringify({ name: "errors", main: "index.ts" }));
}, 120_000);

afterAll(async () => {
  await store?.stop();
  program?.remove();
});

describe("imfed plan --detailed-exitcode when it cannot plan", () => {
  it("exits 1 when the program throws, quoting the program's error and saying to fix it", async () => {
    program.write("index.ts", 'throw new Error("the partner list is missing");\n');
    const run = await plan();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("failed under imfed plan: Error: the partner list is missing");
    expect(run.stderr).toContain('it must run with "pulumi preview"');
  }, 120_000);

  it("exits 1 when a setting comes from a secret it cannot decrypt, naming the key", async () => {
    program.write(
      "Pulumi.production.yaml",
      "config:\n  errors:edgeDomain:\n    secure: AAABAKx3ciphertext\n",
    );
    program.write(
      "index.ts",
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'import { ImProvider } from "imfed";',
        "const config = new pulumi.Config();",
        'new ImProvider("partner", { name: "Partner", kind: "public", enabled: true, proxyFqdn: config.requireSecret("edgeDomain") });',
        "",
      ].join("\n"),
    );
    const run = await plan(["--stack", "production", "--format", "json"]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      outcome: string;
      kinds: { objects: { action: string; notes: string[] }[] }[];
    };
    expect(result.outcome).toBe("error");
    const partner = result.kinds.flatMap((kind) => kind.objects).find((object) => object.action === "error");
    expect(partner?.notes[0]).toContain('proxyFqdn holds the secret configuration value "errors:edgeDomain"');
  }, 120_000);

  it("exits 1, not 2, on a command line it does not take", async () => {
    const run = await plan(["--format", "yaml"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("yaml");
  }, 120_000);

  it("exits 1 on a token the store refuses, saying to check the token", async () => {
    program.write("index.ts", "export {};\n");
    const run = await runImfed(["plan", program.dir, "--detailed-exitcode", "--stack", "production"], {
      IMFED_ENDPOINT: store.url,
      IMFED_TOKEN: "imfed_notavalidtokennotavalidtokennotavalidtok",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("IMFED_TOKEN");
  }, 120_000);
});
