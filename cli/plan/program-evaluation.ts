import { spawn } from "node:child_process";
import path from "node:path";
import { CliError } from "../exit-codes";
import type { DeclaredResource, RunnerMessage } from "./program-runner";
import type { ProgramProject } from "./stack-config";

export type { DeclaredResource } from "./program-runner";

/** What a program declares, and the peak resident memory of the process that ran it (KiB). */
export interface EvaluatedProgram {
  readonly resources: DeclaredResource[];
  readonly maxRssKb: number;
}

// The last lines of the program's stderr kept for an error message.
const STDERR_TAIL = 4000;

/**
 * Runs a Pulumi program in a child Node process under the SDK's mocks (program-runner.ts) and
 * returns the imfed resources it declares. The child gets the stack configuration in
 * `PULUMI_CONFIG` as the Pulumi CLI gives it, and none of imfed's own settings (`IMFED_*`): the
 * program needs no token to declare resources. What the program prints goes to stderr, so that
 * stdout holds only the plan.
 */
export function evaluateProgram(program: ProgramProject): Promise<EvaluatedProgram> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("IMFED_") && !key.startsWith("PULUMI_CONFIG")) env[key] = value;
  }
  env.PULUMI_CONFIG = JSON.stringify(program.config);
  env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(program.secretKeys);
  env.PULUMI_NODEJS_PROJECT = program.project;
  env.PULUMI_NODEJS_STACK = program.stack;
  env.IMFED_PLAN_MAIN = program.main;
  env.IMFED_PLAN_PROJECT = program.project;
  env.IMFED_PLAN_STACK = program.stack;
  const child = spawn(process.execPath, [path.join(__dirname, "program-runner.js")], {
    cwd: program.dir,
    env,
    stdio: ["ignore", process.stderr, "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    process.stderr.write(chunk);
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  return new Promise((resolve, reject) => {
    let answer: RunnerMessage | undefined;
    child.on("message", (message: RunnerMessage) => (answer = message));
    child.on("error", (error) =>
      reject(new CliError(`cannot start Node to run the program in ${program.dir}: ${error.message}`)),
    );
    child.on("exit", (code, signal) => {
      if (answer?.ok === true) return resolve({ resources: answer.resources, maxRssKb: answer.maxRssKb });
      const why =
        answer?.ok === false
          ? answer.error
          : `it exited with ${signal ?? `code ${code}`} before declaring its resources${stderr === "" ? "" : `:\n${stderr}`}`;
      reject(
        new CliError(
          `the Pulumi program in ${program.dir} (stack "${program.stack}") failed under imfed plan: ${why}\n` +
            `Fix the program (it must run with "pulumi preview"), then run imfed plan again.`,
        ),
      );
    });
  });
}
