import { spawn, type ChildProcessByStdio } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";

/** The built `imfed` command; `npm test` builds it first (`pretest`). */
export const IMFED_BIN = path.resolve(__dirname, "../../dist/cli/main.js");

/** Makes a token of the store's format (`imfed_` and 43 base64url characters). */
export function makeToken(): string {
  return `imfed_${randomBytes(32).toString("base64url")}`;
}

/** Options of {@link startStore}. */
export interface StartStoreOptions {
  /** The SQLite file, or a `postgres://` URL; default a new file in a new temporary folder. */
  readonly db?: string;
  /** The bootstrap admin token; default a new random one. */
  readonly adminToken?: string;
  /** Extra arguments to `imfed serve`. */
  readonly args?: readonly string[];
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A real `imfed serve` process on a loopback port. */
export interface StoreProcess {
  /** The base URL, such as `http://127.0.0.1:41234` (`https://` when the store serves HTTPS). */
  readonly url: string;
  readonly adminToken: string;
  readonly db: string;
  /** The temporary folder that holds the database file (removed by {@link StoreProcess.stop}). */
  readonly dir: string;
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything the process wrote to stdout (its JSON logs) and stderr, so far. */
  output(): string;
  /** Sends SIGTERM and waits for the exit; the folder stays. */
  terminate(): Promise<number | null>;
  /** Sends SIGKILL and waits for the exit; the folder stays. */
  kill(): Promise<void>;
  /** Stops the process (SIGTERM) and removes the temporary folder. */
  stop(): Promise<void>;
}

/**
 * Starts `imfed serve --port 0` on 127.0.0.1 and waits for its "listening on" line. The
 * process runs the built code in `dist/`, as a user would run it.
 */
export async function startStore(options: StartStoreOptions = {}): Promise<StoreProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "imfed-store-"));
  const db = options.db ?? path.join(dir, "store.db");
  const adminToken = options.adminToken ?? makeToken();
  const child = spawn(
    process.execPath,
    [
      IMFED_BIN,
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--db",
      db,
      "--admin-token",
      adminToken,
      ...(options.args ?? []),
    ],
    {
      cwd: dir,
      env: { ...process.env, IMFED_LOG_LEVEL: "info", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    // A bound on a broken start, not a pace: a store starts in about a second even on a busy
    // machine. A process that did not start is killed, so that it holds no test run open.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`imfed serve did not start in 60 s:\n${output}`));
    }, 60_000);
    const onData = () => {
      const match = /imfed store listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ""));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`imfed serve exited with ${code} before listening:\n${output}`));
    });
  });

  const waitExit = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    adminToken,
    db,
    dir,
    child,
    output: () => output,
    terminate: () => waitExit("SIGTERM"),
    kill: async () => {
      await waitExit("SIGKILL");
    },
    stop: async () => {
      await waitExit("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
