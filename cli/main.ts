#!/usr/bin/env node
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { DEFAULT_ENDPOINT } from "../client";
import { KINDS } from "../core";
import { auditCommand } from "./commands/audit";
import { evaluateCommand } from "./commands/evaluate";
import { eventsCommand } from "./commands/events";
import { exportCommand } from "./commands/export";
import { kindCommand } from "./commands/kind-command";
import { planCommand } from "./commands/plan";
import { serveCommand } from "./commands/serve";
import { tokenCommand } from "./commands/token";
import { EXIT, exitCodeOf } from "./exit-codes";

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  error
  2  usage error (bad flags or arguments, or a value the store refused as invalid)
  4  not found
  5  conflict or precondition failed

imfed plan --detailed-exitcode exits 0 in sync, 2 with changes, 1 on any error.

The commands that talk to a running store (${KINDS.map((kind) => kind.path).join(", ")}, audit, evaluate, plan, export, events tail) take
--endpoint (IMFED_ENDPOINT, default ${DEFAULT_ENDPOINT}) and --token (IMFED_TOKEN);
--json prints JSON for machines, --reason says why a write is made (in the audit log).
Errors go to stderr. NO_COLOR turns colors off.`;

function packageVersion(): string {
  const manifest = readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8");
  return (JSON.parse(manifest) as { version: string }).version;
}

/** Builds the `imfed` command line. */
export function buildProgram(): Command {
  const program = new Command("imfed")
    .description("IM service provider federation settings as code: the topology store and its tools")
    .version(packageVersion())
    .addHelpText("after", EXIT_CODES_HELP);
  program.addCommand(serveCommand());
  program.addCommand(tokenCommand());
  // A command group per resource kind, derived from its definition (`imfed providers`, `imfed federation`).
  for (const kind of KINDS) program.addCommand(kindCommand(kind));
  program.addCommand(auditCommand());
  program.addCommand(evaluateCommand());
  program.addCommand(exportCommand());
  program.addCommand(eventsCommand());
  program.addCommand(planCommand());
  configureErrors(program);
  return program;
}

// Commander's settings are not inherited by commands added with addCommand, so each command,
// nested ones included, is told: to throw instead of exiting on a usage error (main() then maps
// the error to the exit code pipelines rely on); to print its complaint with the prefix of every
// other error of the command ("imfed: ", not commander's "error: "); and where the usage is.
function configureErrors(command: Command): void {
  const name = commandPath(command);
  command
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(text.replace(/^error: /, "imfed: ")),
    })
    .showHelpAfterError(`(run "${name} --help" for usage)`);
  for (const sub of command.commands) configureErrors(sub);
}

// The command's name as typed, such as "imfed providers create".
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at !== null; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with 0; any other complaint of commander's is a usage error,
      // which it has already printed.
      // (`imfed plan --detailed-exitcode` keeps 2 for changes: its usage errors exit 1.)
      const planExitCodes = argv.includes("plan") && argv.includes("--detailed-exitcode");
      process.exitCode = error.exitCode === 0 ? EXIT.ok : planExitCodes ? EXIT.error : EXIT.usage;
      return;
    }
    process.stderr.write(describeError(error));
    process.exitCode = exitCodeOf(error);
  }
}

// The message, every validation detail on a line of its own, and for a refused token what to do.
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`imfed: ${message}`];
  const { code, details } = (error ?? {}) as {
    code?: unknown;
    details?: readonly { path: string; message: string }[];
  };
  if (Array.isArray(details) && details.length > 1) {
    for (const detail of details)
      lines.push(`  ${detail.path === "" ? "body" : detail.path}: ${detail.message}`);
  }
  if (code === "unauthorized")
    lines.push('  check --token or IMFED_TOKEN ("imfed token list --db" shows the tokens)');
  return `${lines.join("\n")}\n`;
}

if (require.main === module) void main(process.argv);
