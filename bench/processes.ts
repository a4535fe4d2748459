import { spawn } from "node:child_process";
import path from "node:path";
import type { LoadRequest, LoadResult } from "./load-generator";

const REGISTER = path.join(__dirname, "register.js");

/** The node arguments that run one of the benchmarks' TypeScript files in a process of its own. */
export function scriptArgs(file: string): string[] {
  return ["-r", REGISTER, path.join(__dirname, file)];
}

/** Runs the load generator (autocannon) in a process of its own and returns what it measured. */
export async function generateLoad(load: LoadRequest): Promise<LoadResult> {
  const child = spawn(process.execPath, scriptArgs("load-generator.ts"), {
    env: { ...process.env, IMFED_BENCH_LOAD: JSON.stringify(load) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`the load generator failed (exit ${code}):\n${stderr}`);
  const result = JSON.parse(stdout) as LoadResult;
  if (result.non2xx > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(
      `the load on ${load.method} ${load.url}${load.paths[0]} got ${result.non2xx} answers that were not 2xx and ${result.errors} errors of ${result.requests}: the figure would not measure the route; check the server's log`,
    );
  }
  return result;
}

/** A bare fastify route in a process of its own answering every GET with `body`. */
export interface BareServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts {@link BareServer}. */
export async function startBareServer(body: unknown): Promise<BareServer> {
  const child = spawn(process.execPath, scriptArgs("bare-server.ts"), {
    env: { ...process.env, IMFED_BENCH_BODY: JSON.stringify(body) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const match = /^(\d+)\s*$/m.exec(output);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error("the bare fastify server exited before listening")));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
