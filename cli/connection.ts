import { Command, Option } from "commander";
import { DEFAULT_ENDPOINT, StoreClient } from "../client";
import { CliError, EXIT } from "./exit-codes";

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

/**
 * An endpoint fit to print: a URL never shows its user information (a password may be there),
 * and a text that does not parse shows nothing up to its last "@".
 */
export function endpointForMessages(endpoint: string): string {
  const at = endpoint.lastIndexOf("@");
  return at === -1 ? endpoint : `***${endpoint.slice(at)}`;
}

// A token is printable ASCII without spaces (imfed's own are base64url): anything else, such as
// a line break pasted along, would be quoted back by fetch's "invalid header value" error.
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * The client of the store for a command. A missing or malformed token and an endpoint that
 * is not an http(s) URL, or holds a user name or password, are usage errors that say what to
 * do; no message quotes the token or the endpoint's user information.
 */
export function clientOf(options: ConnectionOptions): StoreClient {
  const token = options.token?.trim() ?? "";
  if (token === "") {
    throw new CliError(
      "no token: pass --token or set IMFED_TOKEN (the bootstrap administrator token of a new store is in .imfed/admin-token)",
      EXIT.usage,
    );
  }
  if (!TOKEN_CHARACTERS.test(token)) {
    throw new CliError(
      "the token (--token or IMFED_TOKEN) holds a space, a line break, a control or a non-ASCII character, which no token has; copy it again (it is not shown here, being a secret)",
      EXIT.usage,
    );
  }
  const shown = endpointForMessages(options.endpoint);
  let url: URL;
  try {
    url = new URL(options.endpoint);
  } catch {
    throw new CliError(
      `the store endpoint "${shown}" is not a URL, such as "${DEFAULT_ENDPOINT}" (--endpoint or IMFED_ENDPOINT)`,
      EXIT.usage,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(
      `the store endpoint "${shown}" must be an http or https URL, such as "${DEFAULT_ENDPOINT}" (--endpoint or IMFED_ENDPOINT)`,
      EXIT.usage,
    );
  }
  // An "@" anywhere is refused: in a mistyped URL ("http://user/pass@host") the password lands
  // in the path, which messages would print.
  if (url.username !== "" || url.password !== "" || options.endpoint.includes("@")) {
    throw new CliError(
      `the store endpoint "${shown}" holds a user name or password, which the store does not take: remove "user:password@" from --endpoint or IMFED_ENDPOINT, and give the token with --token or IMFED_TOKEN`,
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

/**
 * Parses a decimal number of an option (a usage error otherwise); whether it is whole and in
 * range is the store's to say, in the words of the field's schema.
 */
export function parseNumber(flag: string): (value: string) => number {
  return (value) => {
    if (!/^-?[0-9]{1,15}(\.[0-9]{1,15})?$/.test(value))
      throw new CliError(`${flag} must be a number, not "${value}"`, EXIT.usage);
    return Number(value);
  };
}
