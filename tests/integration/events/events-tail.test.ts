import { spawn } from "node:child_process";
import { api, providerPath } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { IMFED_BIN, startStore } from "../../helpers/store-process";
import { waitFor } from "../../helpers/webhook-receiver";

/** `imfed events tail` follows a real store: new events only, as lines for people or JSON lines. */

jest.setTimeout(120_000);

let store: StoreProcess;
let viewOnly: string;

beforeAll(async () => {
  store = await startStore();
  const created = await api(store, "POST", "/v1/tokens", {
    token: store.adminToken,
    body: { name: "watcher", role: "CsViewOnlyAdministrator" },
  });
  viewOnly = created.body.token as string;
});

const running: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  // A tail left running by a failed test would hold the test run open.
  for (const stop of running) await stop();
  await store?.stop();
});

// Starts `imfed events tail` with a view-only token; returns its output so far and a stop that waits for the exit code.
function tail(args: readonly string[]) {
  const child = spawn(process.execPath, [IMFED_BIN, "events", "tail", "--interval", "200", ...args], {
    env: { ...process.env, IMFED_ENDPOINT: store.url, IMFED_TOKEN: viewOnly, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  running.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    return exited;
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

async function write(path: string, body: unknown, client: string, reason: string) {
  const response = await api(store, "PATCH", path, {
    token: store.adminToken,
    body,
    headers: { "x-imfed-client": client, "x-imfed-reason": encodeURIComponent(reason) },
  });
  expect(response.status).toBe(200);
}

it("prints new change events as JSON lines with drift and the summary, and only new ones", async () => {
  await write(providerPath("AOL"), { enabled: true }, "pulumi", "before the tail");
  const json = tail(["--json"]);
  await waitFor("the tail to start", () => json.stderr().includes("following change events after seq"));
  await write(providerPath("AOL"), { enabled: false }, "cli", "spam wave, incident 42");
  await waitFor("the event", () => json.stdout().includes("incident 42"));
  expect(await json.stop()).toBe(0);
  const events = json
    .stdout()
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    target: "provider/AOL",
    via: "cli",
    kind: "ImProvider",
    drift: true,
    summary: "admin blocked AOL via cli: spam wave, incident 42",
  });
});

it("prints a line per event for people, drift marked, filtered to drift with --drift-only", async () => {
  const people = tail(["--drift-only"]);
  await waitFor("the tail to start", () => people.stderr().includes("following change events after seq"));
  await write("/v1/federation", { partnerDiscovery: true }, "cli", "not drift");
  await write(providerPath("MSN"), { enabled: true }, "pulumi", "by the program");
  await write(providerPath("MSN"), { enabled: false }, "api", "blocked by hand");
  await waitFor("the drift", () => people.stdout().includes("blocked by hand"));
  expect(await people.stop()).toBe(0);
  const lines = people.stdout().trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^#\d+ \S+ DRIFT admin blocked MSN via api: blocked by hand$/);
});
