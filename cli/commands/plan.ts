import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Option } from "commander";
import type { Command } from "commander";
import { validationList } from "../../core";
import type { PolicyConfig } from "../../policy/rules";
import { policyConfigSchema } from "../../policy/rules";
import type { ConnectionOptions } from "../connection";
import { clientOf, endpointForMessages, storeCommand } from "../connection";
import { CliError, EXIT, exitCodeOf } from "../exit-codes";
import { computePlan } from "../plan/compute-plan";
import type { PlanOutcome } from "../plan/plan-model";
import { evaluateProgram } from "../plan/program-evaluation";
import { renderMarkdown, renderText } from "../plan/render-plan";
import { SECRET_PLACEHOLDER, readProgramProject } from "../plan/stack-config";

interface PlanOptions extends ConnectionOptions {
  readonly stack?: string;
  readonly format: "text" | "markdown" | "json";
  readonly detailedExitcode?: boolean;
  readonly policyConfig?: string;
  readonly progress?: boolean;
}

/** The policy configuration file `imfed plan` reads from the program's folder when --policy-config is not given. */
export const POLICY_CONFIG_FILE = "imfed-policy.json";

/** The exit codes of `imfed plan --detailed-exitcode`, as `terraform plan` has them. */
export const PLAN_EXIT: Readonly<Record<PlanOutcome, number>> = { "in-sync": 0, changes: 2, error: 1 };

function readPolicyConfig(dir: string, file: string | undefined): PolicyConfig {
  const chosen = file ?? path.join(dir, POLICY_CONFIG_FILE);
  if (file === undefined && !existsSync(chosen)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(chosen, "utf8"));
  } catch (error) {
    throw new CliError(
      `cannot read the policy configuration ${chosen}: ${error instanceof Error ? error.message : String(error)}; it must be JSON such as {"allowedPartnerDomains": ["example.com"]}`,
    );
  }
  const result = policyConfigSchema.safeParse(parsed);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
    throw new CliError(`the policy configuration ${chosen} is not valid: ${validationList(details)}`);
  }
  return result.data;
}

/** The stack configuration key of the store's address, which imfed's provider reads too. */
export const ENDPOINT_CONFIG_KEY = "imfed:endpoint";

// Neither --endpoint nor IMFED_ENDPOINT given: the store the program's own provider would reach
// (the stack's `imfed:endpoint`), if the stack sets it in plain text.
function withStackEndpoint(
  options: PlanOptions,
  command: Command,
  config: Readonly<Record<string, string>>,
): PlanOptions {
  const endpoint = config[ENDPOINT_CONFIG_KEY];
  if (command.getOptionValueSource("endpoint") !== "default" || endpoint === undefined) return options;
  if (SECRET_PLACEHOLDER.test(endpoint)) return options;
  return { ...options, endpoint };
}

/**
 * `imfed plan [PROGRAM_DIR]`: what applying a Pulumi program would do to the store, read
 * without the Pulumi CLI, a backend or cloud credentials (docs/plan.md). Every error exits 1,
 * so that with `--detailed-exitcode` 2 always means changes.
 */
export function planCommand(): Command {
  return storeCommand(
    "plan",
    "show what a Pulumi program would change in the store, who changed what outside Pulumi, which incoming requests change outcome, and the policies",
  )
    .argument("[PROGRAM_DIR]", "the folder of the Pulumi program (with Pulumi.yaml)", ".")
    .addOption(new Option("--stack <name>", "the stack whose Pulumi.<stack>.yaml configuration to use"))
    .addOption(
      new Option("--format <format>", "the output's format")
        .choices(["text", "markdown", "json"])
        .default("text"),
    )
    .addOption(
      new Option(
        "--detailed-exitcode",
        "exit 0 when in sync, 2 when there are changes, 1 on an error (as terraform plan)",
      ),
    )
    .addOption(
      new Option(
        "--policy-config <file>",
        `the policies' configuration (JSON, such as {"allowedPartnerDomains": [...]}); default ${POLICY_CONFIG_FILE} in PROGRAM_DIR if present`,
      ),
    )
    .addOption(new Option("--progress", "report progress on stderr even when it is not a terminal"))
    .addHelpText(
      "after",
      `
Without --endpoint or IMFED_ENDPOINT, the store is the stack's ${ENDPOINT_CONFIG_KEY}.
The program's dependencies must be installed (npm ci); no Pulumi CLI, backend or passphrase is used.
Exit codes with --detailed-exitcode: 0 in sync, 2 changes, 1 any error or mandatory policy violation.`,
    )
    .action(async (dir: string, flags: PlanOptions, command: Command) => {
      const showProgress = flags.progress === true || process.stderr.isTTY === true;
      const progress = (message: string) => {
        if (showProgress) process.stderr.write(`imfed plan: ${message}\n`);
      };
      try {
        const program = readProgramProject(dir, flags.stack);
        const options = withStackEndpoint(flags, command, program.config);
        const client = clientOf(options);
        const policyConfig = readPolicyConfig(program.dir, options.policyConfig);
        progress(`running the program in ${program.dir} (stack "${program.stack}") under the SDK's mocks`);
        const started = performance.now();
        const evaluated = await evaluateProgram(program);
        const declared = evaluated.resources;
        progress(`the program declares ${declared.length} imfed resource(s)`);
        const plan = await computePlan({
          program,
          declared,
          client,
          store: endpointForMessages(options.endpoint),
          policyConfig,
          progress,
        });
        const format = options.json === true ? "json" : options.format;
        process.stdout.write(
          format === "json"
            ? `${JSON.stringify(plan, null, 2)}\n`
            : format === "markdown"
              ? renderMarkdown(plan)
              : renderText(plan),
        );
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const megabytes = (kb: number) => `${Math.round(kb / 1024)} MB`;
        progress(
          `planned ${declared.length} resource(s) in ${seconds} s; peak memory ${megabytes(process.resourceUsage().maxRSS)} (imfed plan), ${megabytes(evaluated.maxRssKb)} (the program under mocks)`,
        );
        if (plan.outcome === "error") process.exitCode = EXIT.error;
        else process.exitCode = options.detailedExitcode === true ? PLAN_EXIT[plan.outcome] : EXIT.ok;
      } catch (error) {
        // Every failure is exit 1 here (a usage error too), as terraform plan's: 2 means changes.
        if (exitCodeOf(error) === EXIT.error) throw error;
        throw new CliError(error instanceof Error ? error.message : String(error), EXIT.error);
      }
    });
}
