#!/usr/bin/env node
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { serveCommand } from "./commands/serve";
import { tokenCommand } from "./commands/token";
import { EXIT, exitCodeOf } from "./exit-codes";

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  error
  2  usage error (bad flags or arguments, or a value the store refused as invalid)
  4  not found
  5  conflict or precondition failed`;

function packageVersion(): string {
  const manifest = readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8");
  return (JSON.parse(manifest) as { version: string }).version;
}

/** Builds the `imfed` command line. */
export function buildProgram(): Command {
  const program = new Command("imfed")
    .description("IM service provider federation settings as code: the topology store and its tools")
    .version(packageVersion())
    .addHelpText("after", EXIT_CODES_HELP)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  program.addCommand(serveCommand());
  program.addCommand(tokenCommand());
  overrideExits(program);
  return program;
}

// Commander exits by itself on a usage error unless each command, nested ones included, is
// told to throw instead; main() then maps the error to the exit code pipelines rely on.
function overrideExits(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) overrideExits(sub);
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with 0; any other complaint of commander's is a usage error,
      // which it has already printed.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`imfed: ${message}\n`);
    process.exitCode = exitCodeOf(error);
  }
}

if (require.main === module) void main(process.argv);
