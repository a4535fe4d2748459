/** The exit codes of the `imfed` command, for pipelines. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 4,
  conflict: 5,
} as const;

/** An error that ends the command with a message on stderr and a given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** The exit code for an error: usage 2, not found 4, conflict or failed precondition 5, else 1. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "validation_failed":
    case "bad_request":
      return EXIT.usage;
    case "not_found":
      return EXIT.notFound;
    case "conflict":
    case "precondition_failed":
      return EXIT.conflict;
    default:
      return EXIT.error;
  }
}
