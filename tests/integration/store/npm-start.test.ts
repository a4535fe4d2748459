import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freeLoopbackPort } from "../../helpers/ports";

/**
 * `npm start` in the background, as the README shows it (`npm start &`, later `kill %1`): a
 * SIGTERM to npm reaches the store, which finishes and exits, instead of leaving it running
 * without its parent. npm forwards the signal to the script's process, so the start script
 * `exec`s node in place of the shell that runs it.
 */

const ROOT = path.resolve(__dirname, "../../..");

// Every process below `pid`, from /proc (Linux).
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // it ended meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("npm start", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-npm-start-"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends the store when npm gets SIGTERM, as `kill` of a background `npm start` sends", async () => {
    const port = await freeLoopbackPort();
    const npm = spawn("npm", ["start", "--prefix", ROOT, "--silent"], {
      cwd: dir,
      env: {
        ...process.env,
        IMFED_PORT: String(port),
        IMFED_DB: path.join(dir, ".imfed", "store.db"),
        IMFED_ADMIN_TOKEN: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const npmExited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
    let below: number[] = [];
    try {
      // Generous bounds: a bound on a broken start or stop, not a pace.
      expect(await waitUntil(() => output.includes("imfed store listening on"), 60_000)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      below = descendantsOf(npm.pid as number);
      expect(below.length).toBeGreaterThan(0);

      npm.kill("SIGTERM");
      await npmExited;
      const ended = await waitUntil(() => below.every((pid) => !isRunning(pid)), 30_000);
      expect({ ended, running: below.filter(isRunning), output }).toEqual({
        ended: true,
        running: [],
        output: expect.any(String),
      });
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      for (const pid of [npm.pid as number, ...below]) if (isRunning(pid)) process.kill(pid, "SIGKILL");
    }
  }, 120_000);
});
