import { execFile } from "node:child_process";
import type { StoreProcess } from "../../helpers/store-process";
import { IMFED_BIN, startStore } from "../../helpers/store-process";

/**
 * The `imfed` commands that talk to a store never print a secret they were given: not a token
 * that holds a character no token has (fetch's "invalid header value" error would quote it),
 * not the password of an endpoint written as `http://user:password@host`. Each case runs the
 * built command and looks at everything it wrote.
 */

interface Run {
  readonly code: number | null;
  readonly output: string;
}

// The environment of a run: none of the caller's IMFED_ settings leak in.
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("IMFED_")) env[key] = value;
  return { ...env, ...extra };
}

function imfed(args: readonly string[], env: Readonly<Record<string, string>>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [IMFED_BIN, ...args], { env: cleanEnv(env) }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, output: stdout + stderr });
    });
  });
}

// Every command that talks to a store, for one case each; the variants of a case run the first.
const COMMANDS: readonly (readonly string[])[] = [
  ["providers", "list"],
  ["federation", "show"],
  ["audit"],
  ["evaluate", "--provider", "MSN", "--assertion", "verified", "--request", "im"],
];

let store: StoreProcess;

beforeAll(async () => {
  store = await startStore();
});

afterAll(async () => {
  await store?.stop();
});

describe("a token with a character no token has", () => {
  it.each([
    ["a line break inside", (token: string) => `${token.slice(0, 20)}\n${token.slice(20)}`],
    ["a space inside", (token: string) => `${token.slice(0, 20)} ${token.slice(20)}`],
    ["a tab inside", (token: string) => `${token.slice(0, 20)}\t${token.slice(20)}`],
    ["a non-ASCII character", (token: string) => `${token}é`],
  ])(
    "is refused with exit code 2 when it holds %s, and no output holds any part of it",
    async (what, spoil) => {
      const secret = spoil(store.adminToken);
      const halves = [store.adminToken.slice(6, 20), store.adminToken.slice(20)];
      for (const command of what === "a line break inside" ? COMMANDS : COMMANDS.slice(0, 1)) {
        for (const run of [
          await imfed(command, { IMFED_ENDPOINT: store.url, IMFED_TOKEN: secret }),
          await imfed([...command, "--token", secret], { IMFED_ENDPOINT: store.url }),
        ]) {
          expect([command[0], run.code]).toEqual([command[0], 2]);
          expect(run.output).toContain("copy it again");
          for (const half of halves) expect(run.output).not.toContain(half);
        }
      }
    },
  );

  it("is taken with the line break that reading a file leaves at its end", async () => {
    const run = await imfed(["providers", "list", "--json"], {
      IMFED_ENDPOINT: store.url,
      IMFED_TOKEN: `${store.adminToken}\n`,
    });
    expect(run.code).toBe(0);
    expect(run.output).not.toContain(store.adminToken);
  });
});

describe("an endpoint with a user name and password", () => {
  const password = "S3cret-Pa55word";

  it("is refused with exit code 2 by flag and by environment, and no output holds the password or user", async () => {
    const { host } = new URL(store.url);
    const endpoints = [
      `http://operator:${password}@${host}`,
      `https://operator:${password}@${host}/`,
      `http://operator:${password}@[::1`,
      `operator:${password}@${host}`,
      `http://operator/${password}@${host}`,
    ];
    for (const endpoint of endpoints) {
      for (const command of endpoint === endpoints[0] ? COMMANDS : COMMANDS.slice(0, 1)) {
        for (const run of [
          await imfed(command, { IMFED_ENDPOINT: endpoint, IMFED_TOKEN: store.adminToken }),
          await imfed([...command, "--endpoint", endpoint], { IMFED_TOKEN: store.adminToken }),
        ]) {
          expect([endpoint, command[0], run.code]).toEqual([endpoint, command[0], 2]);
          expect(run.output).not.toContain(password);
          expect(run.output).not.toContain("operator");
          expect(run.output).not.toContain(store.adminToken);
        }
      }
    }
  });

  it("says what to do: remove the user information and give a token", async () => {
    const run = await imfed(["providers", "list"], {
      IMFED_ENDPOINT: `http://operator:${password}@127.0.0.1:7430`,
      IMFED_TOKEN: store.adminToken,
    });
    expect(run.output).toContain('the store endpoint "***@127.0.0.1:7430" holds a user name or password');
    expect(run.output).toContain("--token or IMFED_TOKEN");
  });
});
