import { api } from "../../helpers/api";
import type { CliRun } from "../../helpers/imfed-cli";
import { runImfed } from "../../helpers/imfed-cli";
import { freeLoopbackPort } from "../../helpers/ports";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

/**
 * The `imfed` command's usage errors and the prefix of its errors: a token's role is never
 * assumed, a boolean flag takes only `true` or `false` (the two words its help and its message
 * name), and every error of every command, commander's own complaints included, starts with
 * `imfed: ` on stderr.
 */

let store: StoreProcess;

beforeAll(async () => {
  store = await startStore();
});

afterAll(async () => {
  await store?.stop();
});

function imfed(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return runImfed(args, { IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken, ...env });
}

async function auditNext(): Promise<number> {
  return (await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken })).body.next as number;
}

async function tokenNames(): Promise<string[]> {
  const listed = await api(store, "GET", "/v1/tokens", { token: store.adminToken });
  return listed.body.items.map((item: { name: string }) => item.name);
}

describe("imfed token create", () => {
  it("refuses a token without --role as a usage error that names both roles, and creates none", async () => {
    const run = await imfed(["token", "create", "ci-pipeline", "--db", store.db]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^imfed: /);
    expect(run.stderr).toContain("--role CsAdministrator|CsViewOnlyAdministrator");
    expect(run.stdout).toBe("");
    expect(await tokenNames()).toEqual(["admin"]);
  });

  it("creates a token of the role given", async () => {
    const run = await imfed([
      "token",
      "create",
      "auditor",
      "--role",
      "CsViewOnlyAdministrator",
      "--db",
      store.db,
    ]);
    expect(run.code).toBe(0);
    const listed = await api(store, "GET", "/v1/tokens", { token: store.adminToken });
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ name: "auditor", role: "CsViewOnlyAdministrator" }),
    );
  });
});

describe("boolean flags", () => {
  it.each(["yes", "no", "on", "off", "1", "0", "TRUE", "False", ""])(
    'refuse "%s" with exit 2, saying true or false, and write nothing',
    async (value) => {
      const before = await auditNext();
      const federation = await imfed(["federation", "set", "--partner-discovery", value]);
      expect(federation.code).toBe(2);
      expect(federation.stderr).toBe(`imfed: --partner-discovery must be true or false, not "${value}"\n`);
      const provider = await imfed([
        "providers",
        "create",
        "Flag Test",
        "--kind",
        "hosted",
        "--fqdn",
        "edge.flag-test.example.com",
        "--is-local",
        value,
      ]);
      expect(provider.code).toBe(2);
      expect(provider.stderr).toBe(`imfed: --is-local must be true or false, not "${value}"\n`);
      expect(await auditNext()).toBe(before);
    },
  );

  it("take true and false", async () => {
    const on = await imfed(["federation", "set", "--partner-discovery", "true", "--json"]);
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout)).toMatchObject({ partnerDiscovery: true });
    const off = await imfed(["federation", "set", "--partner-discovery", "false", "--json"]);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ partnerDiscovery: false });
  });
});

describe("every error of every command", () => {
  // A failing run of each command path: commander's own usage errors (unknown command or
  // option, a missing or surplus argument, a value outside the choices, a missing mandatory
  // option), the command's own usage errors, the store's refusals and an unreachable store.
  const cases: readonly (readonly [string, readonly string[], number])[] = [
    ["an unknown command", ["bogus"], 2],
    ["an unknown option", ["--bogus"], 2],
    ["an unknown subcommand", ["providers", "bogus"], 2],
    ["serve with a bad port", ["serve", "--port", "http"], 2],
    ["serve with an unknown option", ["serve", "--bogus"], 2],
    ["token create without a name", ["token", "create"], 2],
    ["token create with an unknown role", ["token", "create", "x", "--role", "Root"], 2],
    ["token list with a surplus argument", ["token", "list", "extra"], 2],
    ["token revoke without a name", ["token", "revoke"], 2],
    ["providers list with a bad kind", ["providers", "list", "--kind", "x"], 2],
    ["providers list with a surplus argument", ["providers", "list", "extra"], 2],
    ["providers show of an unknown name", ["providers", "show", "Nobody"], 4],
    ["providers create without --fqdn", ["providers", "create", "X"], 2],
    ["providers create with an invalid FQDN", ["providers", "create", "X", "--fqdn", "a"], 2],
    ["providers create of a taken name", ["providers", "create", "msn", "--fqdn", "x.example.com"], 5],
    ["providers set with nothing to change", ["providers", "set", "MSN"], 2],
    ["providers set with a stale revision", ["providers", "set", "MSN", "--enable", "--if-revision", "0"], 5],
    ["providers set with a bad level", ["providers", "set", "MSN", "--verification-level", "x"], 2],
    ["providers block of an unknown name", ["providers", "block", "Nobody"], 4],
    ["providers unblock without a name", ["providers", "unblock"], 2],
    ["providers delete of an unknown name", ["providers", "delete", "Nobody"], 4],
    ["federation show with a surplus argument", ["federation", "show", "extra"], 2],
    ["federation enable with a bad revision", ["federation", "enable", "--if-revision", "x"], 2],
    ["federation disable with a stale revision", ["federation", "disable", "--if-revision", "0"], 5],
    ["federation set with nothing to change", ["federation", "set"], 2],
    ["audit with a bad limit", ["audit", "--limit", "x"], 2],
    ["evaluate without --provider", ["evaluate", "--assertion", "none", "--request", "im"], 2],
    [
      "evaluate with a bad assertion",
      ["evaluate", "--provider", "MSN", "--assertion", "x", "--request", "im"],
      2,
    ],
  ];

  it.each(cases)("start with imfed: on stderr: %s", async (_title, args, code) => {
    const run = await imfed(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(/^imfed: \S/);
    expect(run.stderr).not.toMatch(/^error:/m);
  });

  it("start with imfed: on stderr: a missing token, a refused token and an unreachable store", async () => {
    const noToken = await imfed(["providers", "list"], { IMFED_TOKEN: "" });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^imfed: no token/);
    const refused = await imfed(["federation", "show"], { IMFED_TOKEN: "imfed_unknown" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^imfed: /);
    const unreachable = await imfed(["audit"], {
      IMFED_ENDPOINT: `http://127.0.0.1:${await freeLoopbackPort()}`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^imfed: /);
  });

  it("names the command whose usage to read after commander's complaint", async () => {
    const run = await imfed(["providers", "create", "X"]);
    expect(run.stderr).toBe(
      `imfed: required option '--fqdn <fqdn>' not specified\n(run "imfed providers create --help" for usage)\n`,
    );
  });
});
