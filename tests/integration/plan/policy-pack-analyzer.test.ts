import { execFileSync, spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { ConsumerProject } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";

// The policy pack as the Pulumi CLI runs it: a pack project that serves `imfed/policy`'s policies
// with @pulumi/policy's PolicyPack, in a project that installed imfed as `npm pack` makes it,
// driven over the analyzer's gRPC protocol (Configure, then Analyze or AnalyzeStack) as the
// engine drives it during `pulumi preview --policy-pack`. The engine's side runs in a Node
// process of the project too, with the project's own @pulumi/pulumi protocol classes.

const PROVIDER = "pulumi-nodejs:dynamic/imfed:ImProvider";
const FEDERATION = "pulumi-nodejs:dynamic/imfed:Federation";

// Configures the pack (levels, and the allowed partner domains), sends one request, prints the diagnostics as JSON.
const ENGINE = `
const grpc = require("@grpc/grpc-js");
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// Not named "proto": google-protobuf's generated modules use a global of that name.
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const [port, kind, resourcesJson] = process.argv.slice(1);
const client = new services.AnalyzerClient("127.0.0.1:" + port, grpc.credentials.createInsecure());
const call = (method, request) =>
  new Promise((resolve, reject) => method.call(client, request, (error, response) => (error ? reject(error) : resolve(response))));
const resource = (Type, { type, name, props }) =>
  new Type().setType(type).setName(name).setUrn("urn:pulumi:production::federation::" + type + "::" + name)
    .setProperties(Struct.fromJavaScript(props)).setOptions(new analyzer.AnalyzerResourceOptions());
(async () => {
  const configure = new analyzer.ConfigureAnalyzerRequest();
  const levels = { "public-provider-not-allow-all": 1, "provider-needs-federation": 0, "partner-domain-allowed": 1 };
  for (const [policy, level] of Object.entries(levels)) {
    const props = policy === "partner-domain-allowed" ? { allowedPartnerDomains: ["yahoo.com"] } : {};
    configure.getPolicyconfigMap().set(policy, new analyzer.PolicyConfig().setEnforcementlevel(level).setProperties(Struct.fromJavaScript(props)));
  }
  await call(client.configure, configure);
  const resources = JSON.parse(resourcesJson);
  const response = kind === "stack"
    ? await call(client.analyzeStack, new analyzer.AnalyzeStackRequest().setResourcesList(resources.map((r) => resource(analyzer.AnalyzerResource, r))))
    : await call(client.analyze, resource(analyzer.AnalyzeRequest, resources[0]));
  process.stdout.write(JSON.stringify(response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
    message: d.getMessage(),
    urn: d.getUrn(),
  }))));
  client.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface Diagnostic {
  readonly policy: string;
  readonly level: string;
  readonly message: string;
  readonly urn: string;
}

let consumer: ConsumerProject;
let pack: ChildProcessByStdio<null, Readable, Readable>;
let port: number;
let output = "";

function engine(
  kind: "resource" | "stack",
  resources: { type: string; name: string; props: object }[],
): Diagnostic[] {
  const text = execFileSync(process.execPath, ["-e", ENGINE, String(port), kind, JSON.stringify(resources)], {
    cwd: consumer.dir,
    encoding: "utf8",
  });
  return JSON.parse(text) as Diagnostic[];
}

beforeAll(async () => {
  consumer = makeConsumerProject();
  const dir = path.join(consumer.dir, "policy-pack");
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "imfed-policy-pack", version: "0.1.0" }),
  );
  writeFileSync(
    path.join(dir, "index.js"),
    'const { PolicyPack } = require("@pulumi/policy");\nconst { imfedPolicies } = require("imfed/policy");\nnew PolicyPack("imfed", { policies: imfedPolicies });\n',
  );
  pack = spawn(process.execPath, ["index.js"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  pack.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  pack.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  port = await new Promise<number>((resolve, reject) => {
    // A bound on a broken start, not a pace.
    const timer = setTimeout(
      () => reject(new Error(`the policy pack did not start in 60 s:\n${output}`)),
      60_000,
    );
    pack.stdout.on("data", () => {
      const match = /^(\d+)\s*$/m.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    pack.once("exit", () => reject(new Error(`the policy pack exited:\n${output}`)));
  });
}, 180_000);

afterAll(async () => {
  if (pack !== undefined && pack.exitCode === null) {
    const exited = new Promise((resolve) => pack.once("exit", resolve));
    pack.kill();
    await exited;
  }
  consumer?.remove();
});

const YAHOO = { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com", enabled: true };

describe("the policy pack served by @pulumi/policy", () => {
  it("passes a provider that keeps every rule", () => {
    expect(
      engine("resource", [
        { type: PROVIDER, name: "yahoo", props: { ...YAHOO, verificationLevel: "AlwaysUnverifiable" } },
      ]),
    ).toEqual([]);
  }, 60_000);

  it("reports a public provider that allows all communications, and an Access Edge outside the configured domains, as mandatory", () => {
    const found = engine("resource", [
      {
        type: PROVIDER,
        name: "partner",
        props: { ...YAHOO, proxyFqdn: "sip.elsewhere.example", verificationLevel: "AlwaysVerifiable" },
      },
    ]);
    expect(found.map(({ policy, level }) => ({ policy, level }))).toEqual([
      { policy: "public-provider-not-allow-all", level: "mandatory" },
      { policy: "partner-domain-allowed", level: "mandatory" },
    ]);
    expect(found[1]?.message).toContain(
      '"sip.elsewhere.example", outside the allowed partner domains (yahoo.com)',
    );
  }, 60_000);

  it("reports over the stack an enabled provider while the program's federation is disabled, as advisory", () => {
    const found = engine("stack", [
      { type: FEDERATION, name: "federation", props: { enabled: false } },
      { type: PROVIDER, name: "yahoo", props: YAHOO },
    ]);
    expect(found.map(({ policy, level, urn }) => ({ policy, level, urn }))).toEqual([
      {
        policy: "provider-needs-federation",
        level: "advisory",
        urn: `urn:pulumi:production::federation::${PROVIDER}::yahoo`,
      },
    ]);
  }, 60_000);
});
