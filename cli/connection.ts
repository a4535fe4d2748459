import { Command, Option } from "commander";
import { StoreClient } from "../client";
import { CliError, EXIT } from "./exit-codes";

/** The store a command talks to when neither `--endpoint` nor `IMFED_ENDPOINT` names one (`imfed serve`'s default). */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:7430";

/** The options every command that talks to a running store takes. */
export interface ConnectionOptions {
  readonly endpoint: string;
  readonly token?: string;
  readonly json?: boolean;
}

/** The options of a write: the reason recorded in the audit log, and an optional precondition. */
export interface WriteFlags {
  readonly reason?: string;
  readonly ifRevision?: number;
}

/**
 * A subcommand that talks to a running store: `--endpoint`/`IMFED_ENDPOINT`,
 * `--token`/`IMFED_TOKEN` and `--json`.
 */
export function storeCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .addOption(
      new Option("--endpoint <url>", "the store's URL").env("IMFED_ENDPOINT").default(DEFAULT_ENDPOINT),
    )
    .addOption(
      new Option(
        "--token <token>",
        "an API token (prefer IMFED_TOKEN: a flag shows in the process list)",
      ).env("IMFED_TOKEN"),
    )
    .addOption(new Option("--json", "print JSON for machines"));
}

/** Adds `--reason` (and, unless `precondition` is false, `--if-revision`) to a write command. */
export function writeOptions(command: Command, precondition = true): Command {
  command.addOption(
    new Option(
      "--reason <text>",
      "why: recorded on the object and in the audit log (at most 500 characters)",
    ),
  );
  if (precondition) {
    command.addOption(
      new Option(
        "--if-revision <n>",
        "write only if the object is still at this revision (else exit 5)",
      ).argParser(parseCount("--if-revision")),
    );
  }
  return command;
}

/** The client of the store for a command; a missing token is a usage error that says what to do. */
export function clientOf(options: ConnectionOptions): StoreClient {
  const token = options.token?.trim() ?? "";
  if (token === "") {
    throw new CliError(
      "no token: pass --token or set IMFED_TOKEN (the bootstrap administrator token of a new store is in .imfed/admin-token)",
      EXIT.usage,
    );
  }
  try {
    return new StoreClient({ endpoint: options.endpoint, token, client: "cli" });
  } catch (error) {
    throw new CliError(
      `${error instanceof Error ? error.message : String(error)} (--endpoint or IMFED_ENDPOINT)`,
      EXIT.usage,
    );
  }
}

/** The client's write options of a command's `--reason` and `--if-revision`. */
export function writeOf(flags: WriteFlags): { reason?: string; ifMatch?: number } {
  return {
    ...(flags.reason === undefined || flags.reason === "" ? {} : { reason: flags.reason }),
    ...(flags.ifRevision === undefined ? {} : { ifMatch: flags.ifRevision }),
  };
}

/** Parses a whole number of an option (a usage error otherwise). */
export function parseCount(flag: string): (value: string) => number {
  return (value) => {
    if (!/^[0-9]{1,15}$/.test(value))
      throw new CliError(`${flag} must be a whole number, not "${value}"`, EXIT.usage);
    return Number(value);
  };
}

/**
 * Parses `true` or `false` of an option (a usage error otherwise): the two words the help and
 * the message name, and the values of the fields in the API and in the output.
 */
export function parseBoolean(flag: string): (value: string) => boolean {
  return (value) => {
    if (value === "true") return true;
    if (value === "false") return false;
    throw new CliError(`${flag} must be true or false, not "${value}"`, EXIT.usage);
  };
}
