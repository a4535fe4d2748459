import { execFile } from "node:child_process";
import { IMFED_BIN } from "./store-process";

/** What one run of the built `imfed` command did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built `imfed` command (`dist/cli/main.js`) with the given arguments, in an
 * environment without the caller's `IMFED_*`, `NO_COLOR` and `FORCE_COLOR` settings plus `env`,
 * and waits for its exit. Never throws on a non-zero exit: tests look at `code`.
 */
export function runImfed(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  cwd?: string,
): Promise<CliRun> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("IMFED_") && key !== "NO_COLOR" && key !== "FORCE_COLOR") clean[key] = value;
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [IMFED_BIN, ...args],
      { env: { ...clean, ...env }, ...(cwd === undefined ? {} : { cwd }) },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
