import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The GitOps example's drift check (examples/gitops/scripts/drift-check.sh), run by bash as the
 * workflow runs it, with a stand-in `pulumi` executable first on PATH (the Pulumi CLI is an
 * external program that the project's machines cannot install): `pulumi preview
 * --expect-no-changes` fails alike for drift and for an error, and the script must tell in
 * sync (0), drift (1) and a check that could not run (2) apart.
 */

const SCRIPT = path.resolve(__dirname, "../../../examples/gitops/scripts/drift-check.sh");

// Prints what it is told, records its arguments, and exits as it is told.
const STAND_IN = `#!/usr/bin/env bash
printf '%s\\n' "$@" > "$STAND_IN_ARGS"
printf '%s' "$STAND_IN_STDOUT"
printf '%s' "$STAND_IN_STDERR" >&2
exit "$STAND_IN_EXIT"
`;

const PLAN_WITH_DRIFT = `Previewing update (production):
     Type                                    Name     Plan       Info
     pulumi:pulumi:Stack                     imfed-gitops-production
 ~   └─ pulumi-nodejs:dynamic/imfed:ImProvider  yahoo    update     [diff: ~enabled]
    ~ enabled     : false => true
    ~ updatedBy   : "ops-oncall" => "gitops"
Resources:
    ~ 1 to update
    4 unchanged
`;

interface Outcome {
  readonly code: number | null;
  readonly output: string;
  readonly githubOutput: string;
  readonly args: string[];
}

describe("the GitOps example's drift check", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-drift-"));
    writeFileSync(path.join(dir, "pulumi"), STAND_IN);
    chmodSync(path.join(dir, "pulumi"), 0o755);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function runCheck(
    pulumi: { readonly stdout?: string; readonly stderr?: string; readonly exit: number },
    options: { readonly args?: readonly string[]; readonly path?: string } = {},
  ): Outcome {
    const githubOutput = path.join(dir, "github-output");
    const argsFile = path.join(dir, "args");
    writeFileSync(githubOutput, "");
    writeFileSync(argsFile, "");
    const result = spawnSync("bash", [SCRIPT, ...(options.args ?? ["production"])], {
      encoding: "utf8",
      env: {
        PATH: options.path ?? `${dir}:${process.env.PATH ?? ""}`,
        GITHUB_OUTPUT: githubOutput,
        STAND_IN_ARGS: argsFile,
        STAND_IN_STDOUT: pulumi.stdout ?? "",
        STAND_IN_STDERR: pulumi.stderr ?? "",
        STAND_IN_EXIT: String(pulumi.exit),
      },
    });
    return {
      code: result.status,
      output: result.stdout + result.stderr,
      githubOutput: readFileSync(githubOutput, "utf8"),
      args: readFileSync(argsFile, "utf8").split("\n").filter(Boolean),
    };
  }

  it("runs a refreshing preview of the stack that expects no change", () => {
    const outcome = runCheck({ exit: 0 });
    expect(outcome.args).toEqual([
      "preview",
      "--stack",
      "production",
      "--refresh",
      "--expect-no-changes",
      "--diff",
      "--non-interactive",
    ]);
  });

  it("exits 0 with outcome in-sync when the preview proposes no change", () => {
    const outcome = runCheck({ stdout: "Resources:\n    5 unchanged\n", exit: 0 });
    expect(outcome.code).toBe(0);
    expect(outcome.githubOutput).toBe("outcome=in-sync\n");
    expect(outcome.output).toContain("5 unchanged");
    expect(outcome.output).toContain('stack "production" matches the store');
  });

  it.each([
    "error: no changes were expected but changes were proposed",
    "error: no changes were expected for preview but changes were proposed",
    "error: no changes were expected but changes occurred",
  ])("exits 1 with outcome drift, and the plan in its output, when pulumi says: %s", (message) => {
    const outcome = runCheck({ stdout: PLAN_WITH_DRIFT, stderr: `${message}\n`, exit: 255 });
    expect(outcome.code).toBe(1);
    expect(outcome.githubOutput).toBe("outcome=drift\n");
    expect(outcome.output).toContain('~ updatedBy   : "ops-oncall" => "gitops"');
    expect(outcome.output).toContain("::error title=imfed drift::");
  });

  it("exits 2 with outcome failed when the preview fails for another reason, such as a refused token", () => {
    const outcome = runCheck({
      stderr: 'error: imfed: the store refused the token (401): "imfed:token" or IMFED_TOKEN is not valid\n',
      exit: 255,
    });
    expect(outcome.code).toBe(2);
    expect(outcome.githubOutput).toBe("outcome=failed\n");
    expect(outcome.output).toContain("refused the token");
    expect(outcome.output).toContain("::error title=imfed drift check failed::");
    expect(outcome.output).toContain("exit code 255");
  });

  it("exits 2 with outcome failed when there is no pulumi to run", () => {
    const outcome = runCheck({ exit: 0 }, { path: "/usr/bin:/bin" });
    expect(outcome.code).toBe(2);
    expect(outcome.githubOutput).toBe("outcome=failed\n");
  });

  it("exits 2 and says how to call it without a stack", () => {
    const outcome = runCheck({ exit: 0 }, { args: [] });
    expect(outcome.code).toBe(2);
    expect(outcome.output).toContain("usage: drift-check.sh STACK");
    expect(outcome.args).toEqual([]);
  });
});
