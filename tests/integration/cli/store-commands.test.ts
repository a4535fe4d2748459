import { execFile, spawn } from "node:child_process";
import { api, providerPath } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { IMFED_BIN, startStore } from "../../helpers/store-process";
import { freeLoopbackPort } from "../../helpers/ports";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// The environment of a run: none of the caller's IMFED_ or color settings leak in.
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("IMFED_") && key !== "NO_COLOR" && key !== "FORCE_COLOR") env[key] = value;
  }
  return { ...env, ...extra };
}

describe("imfed against a running store", () => {
  let store: StoreProcess;
  let viewOnlyToken: string;

  function imfed(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [IMFED_BIN, ...args],
        { env: cleanEnv({ IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken, ...env }) },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  async function auditNext(): Promise<number> {
    return (await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken })).body.next as number;
  }

  beforeAll(async () => {
    store = await startStore();
    const created = await api(store, "POST", "/v1/tokens", {
      token: store.adminToken,
      body: { name: "auditor", role: "CsViewOnlyAdministrator" },
    });
    viewOnlyToken = created.body.token as string;
  });

  afterAll(async () => {
    await store?.stop();
  });

  it("documents the exit codes and the store commands in imfed --help", async () => {
    const run = await imfed(["--help"]);
    expect(run.code).toBe(0);
    for (const line of [
      "0  ok",
      "1  error",
      "2  usage error",
      "4  not found",
      "5  conflict or precondition failed",
    ]) {
      expect(run.stdout).toContain(line);
    }
    for (const command of ["providers", "federation", "audit", "evaluate", "IMFED_TOKEN", "NO_COLOR"]) {
      expect(run.stdout).toContain(command);
    }
  });

  it("refuses a write without a token with exit 2 and says what to do, writing nothing", async () => {
    const before = await auditNext();
    const run = await imfed(["providers", "block", "MSN", "--reason", "x"], { IMFED_TOKEN: "" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no token: pass --token or set IMFED_TOKEN");
    expect(run.stdout).toBe("");
    expect(await auditNext()).toBe(before);
  });

  it("lists the providers as a table, and as JSON with --json", async () => {
    const table = await imfed(["providers", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+KIND\s+FQDN\s+ENABLED\s+VERIFICATION LEVEL/);
    expect(table.stdout).toMatch(
      /MSN\s+public\s+federation\.messenger\.msn\.com\s+false\s+UseSourceVerification/,
    );
    const json = await imfed(["providers", "list", "--json", "--kind", "public"]);
    expect(json.code).toBe(0);
    const names = (JSON.parse(json.stdout) as { items: { name: string }[] }).items.map((item) => item.name);
    expect(names).toEqual(["AOL", "MSN", "Yahoo!"]);
  });

  it("creates a provider with --token, recording via cli and the reason", async () => {
    const run = await imfed(
      [
        "providers",
        "create",
        "Fabrikam IM",
        "--fqdn",
        "SIP.Fabrikam.example",
        "--enable",
        "--verification-level",
        "AlwaysUnverifiable",
        "--reason",
        "new partner, change 77",
        "--token",
        store.adminToken,
        "--json",
      ],
      { IMFED_TOKEN: "" },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      name: "Fabrikam IM",
      proxyFqdn: "sip.fabrikam.example",
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
      updatedVia: "cli",
      updateReason: "new partner, change 77",
    });
  });

  it("creates a hosted provider with its hosted-only settings", async () => {
    const run = await imfed([
      "providers",
      "create",
      "Hosted Exchange",
      "--kind",
      "hosted",
      "--fqdn",
      "sip.hosted.example",
      "--shared-address-space",
      "true",
      "--autodiscover-url",
      "https://autodiscover.hosted.example/autodiscover",
      "--json",
    ]);
    // With --json, stdout holds only the JSON; the human notes are left out.
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kind: "hosted",
      enabled: false,
      enabledSharedAddressSpace: true,
      hostsOcsUsers: false,
      autodiscoverUrl: "https://autodiscover.hosted.example/autodiscover",
    });
  });

  it("exits 5 when the name exists and 2 when the store refuses a value, listing every failure", async () => {
    const before = await auditNext();
    const taken = await imfed(["providers", "create", "fabrikam im", "--fqdn", "sip.other.example"]);
    expect(taken.code).toBe(5);
    expect(taken.stderr).toContain('provider "fabrikam im" already exists');
    const invalid = await imfed(["providers", "create", "Bad", "--fqdn", "bad_fqdn", "--is-local", "true"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("proxyFqdn: must be a fully qualified domain name");
    expect(invalid.stderr).toContain("isLocal: is a hosted-only setting");
    const fqdnTaken = await imfed(["providers", "create", "Copy", "--fqdn", "sip.yahoo.com"]);
    expect(fqdnTaken.code).toBe(5);
    expect(fqdnTaken.stderr).toContain('provider "Yahoo!"');
    expect(await auditNext()).toBe(before);
  });

  it("shows one provider, and exits 4 with a hint for an unknown one", async () => {
    const shown = await imfed(["providers", "show", "yahoo!"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Access Edge \(or FQDN\)\s+sip\.yahoo\.com/);
    expect(shown.stdout).toContain("Allow communications only with users verified by this provider");
    const json = await imfed(["providers", "show", "Yahoo!", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: "Yahoo!", builtIn: true });
    const missing = await imfed(["providers", "show", "Nobody"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain(
      'provider "Nobody" not found; "imfed providers list" shows every provider',
    );
  });

  it("blocks and unblocks a provider with a reason, and reports a block that changes nothing", async () => {
    const blocked = await imfed(["providers", "block", "Fabrikam IM", "--reason", "spam wave, incident 42"]);
    expect(blocked.code).toBe(0);
    expect(blocked.stderr).toContain('Blocked provider "Fabrikam IM"');
    const provider = await api(store, "GET", providerPath("Fabrikam IM"), { token: store.adminToken });
    expect(provider.body).toMatchObject({
      enabled: false,
      updatedBy: "admin",
      updatedVia: "cli",
      updateReason: "spam wave, incident 42",
    });
    const before = await auditNext();
    const again = await imfed(["providers", "block", "Fabrikam IM"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already blocked");
    expect(again.stderr).toContain("spam wave, incident 42");
    expect(await auditNext()).toBe(before);
    const unblocked = await imfed(["providers", "unblock", "Fabrikam IM", "--reason", "all clear", "--json"]);
    expect(unblocked.code).toBe(0);
    expect(JSON.parse(unblocked.stdout)).toMatchObject({ enabled: true, updateReason: "all clear" });
  });

  it("changes settings with set, refuses an empty set (2) and a stale --if-revision (5)", async () => {
    const current = await api(store, "GET", providerPath("Fabrikam IM"), { token: store.adminToken });
    const set = await imfed([
      "providers",
      "set",
      "Fabrikam IM",
      "--verification-level",
      "AlwaysVerifiable",
      "--if-revision",
      String(current.body.revision),
      "--json",
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      verificationLevel: "AlwaysVerifiable",
      updatedVia: "cli",
    });
    const stale = await imfed([
      "providers",
      "set",
      "Fabrikam IM",
      "--disable",
      "--if-revision",
      String(current.body.revision),
    ]);
    expect(stale.code).toBe(5);
    expect(stale.stderr).toContain("changed since");
    const empty = await imfed(["providers", "set", "Fabrikam IM"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("nothing to change");
    const conflicting = await imfed(["providers", "set", "Fabrikam IM", "--enable", "--disable"]);
    expect(conflicting.code).toBe(2);
    const badLevel = await imfed(["providers", "set", "Fabrikam IM", "--verification-level", "Sometimes"]);
    expect(badLevel.code).toBe(2);
  });

  it("deletes a provider; a second delete exits 4", async () => {
    const deleted = await imfed([
      "providers",
      "delete",
      "Hosted Exchange",
      "--reason",
      "contract ended",
      "--json",
    ]);
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({ deleted: "Hosted Exchange" });
    const audit = await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken });
    expect(audit.body.items.at(-1)).toMatchObject({ action: "delete", via: "cli", reason: "contract ended" });
    const again = await imfed(["providers", "delete", "Hosted Exchange"]);
    expect(again.code).toBe(4);
  });

  it("shows, enables, disables and sets the federation settings", async () => {
    const shown = await imfed(["federation", "show"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Enable federation and public IM connectivity\s+false/);
    expect(shown.stderr).toContain("no provider settings are in effect");
    const enabled = await imfed(["federation", "enable", "--reason", "go-live", "--json"]);
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout)).toMatchObject({
      enabled: true,
      updatedVia: "cli",
      updateReason: "go-live",
    });
    const set = await imfed([
      "federation",
      "set",
      "--partner-discovery",
      "true",
      "--remote-user-access",
      "false",
      "--json",
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      enabled: true,
      partnerDiscovery: true,
      remoteUserAccess: false,
    });
    const empty = await imfed(["federation", "set"]);
    expect(empty.code).toBe(2);
    const badValue = await imfed(["federation", "set", "--partner-discovery", "maybe"]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--partner-discovery must be true or false, not "maybe"');
    const disabled = await imfed(["federation", "disable", "--json"]);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ enabled: false });
  });

  it("evaluates an incoming request, as text and as JSON", async () => {
    await imfed(["federation", "enable"]);
    const json = await imfed([
      "evaluate",
      "--provider",
      "fabrikam im",
      "--assertion",
      "unverified",
      "--request",
      "presence",
      "--json",
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      decision: "accept",
      marking: "verified",
      decidedBy: "client",
      reason: expect.any(String),
    });
    const text = await imfed(["evaluate", "--provider", "MSN", "--assertion", "verified", "--request", "im"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Decision\s+reject/);
    const usage = await imfed(["evaluate", "--assertion", "verified", "--request", "im"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--provider");
    const badAssertion = await imfed([
      "evaluate",
      "--provider",
      "MSN",
      "--assertion",
      "maybe",
      "--request",
      "im",
    ]);
    expect(badAssertion.code).toBe(2);
  });

  it("lists the audit log: the latest entries, --after N, --limit, and --json", async () => {
    const table = await imfed(["audit"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(
      /^SEQ\s+AT\s+ACTOR\s+VIA\s+ACTION\s+TARGET\s+CHANGE\s+REASON/,
    );
    expect(table.stdout).toContain("enabled: true → false");
    const all = JSON.parse((await imfed(["audit", "--after", "0", "--json"])).stdout) as {
      items: { seq: number }[];
      next: number;
    };
    expect(all.items.length).toBeGreaterThan(5);
    expect(all.next).toBe(all.items.at(-1)?.seq);
    const after = JSON.parse(
      (await imfed(["audit", "--after", String(all.items[2]?.seq), "--limit", "2", "--json"])).stdout,
    );
    expect(after.items.map((item: { seq: number }) => item.seq)).toEqual([
      all.items[3]?.seq,
      all.items[4]?.seq,
    ]);
    const last = JSON.parse((await imfed(["audit", "--limit", "1", "--json"])).stdout);
    expect(last.items).toHaveLength(1);
    expect(last.items[0].seq).toBe(all.next);
    const bad = await imfed(["audit", "--after", "-1"]);
    expect(bad.code).toBe(2);
  });

  it("follows the audit log with --follow --json, one JSON line per new entry, and ends with 0 on SIGINT", async () => {
    const next = await auditNext();
    const child = spawn(
      process.execPath,
      [IMFED_BIN, "audit", "--after", String(next), "--follow", "--json", "--interval", "100"],
      {
        env: cleanEnv({ IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // The change is made once the command has asked the store for entries (its request is in the
    // store's log), so that it shows an entry that came while it followed. Generous bounds, in
    // case the machine is busy.
    const polled = `"url":"/v1/audit?after=${next}&limit=1000"`;
    await waitUntil(() => store.output().includes(polled), 60_000);
    expect((await imfed(["providers", "block", "Fabrikam IM", "--reason", "followed"])).code).toBe(0);
    await waitUntil(() => stdout.includes("followed"), 60_000);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      seq: next + 1,
      via: "cli",
      reason: "followed",
      target: "provider/Fabrikam IM",
    });
  }, 180_000);

  it("exits 1 with the store's reason when a view-only token writes, and when the token is unknown", async () => {
    const before = await auditNext();
    const forbidden = await imfed(["providers", "unblock", "AOL"], { IMFED_TOKEN: viewOnlyToken });
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain("CsViewOnlyAdministrator");
    const reads = await imfed(["providers", "list", "--json"], { IMFED_TOKEN: viewOnlyToken });
    expect(reads.code).toBe(0);
    const unknown = await imfed(["federation", "show"], { IMFED_TOKEN: "imfed_unknown" });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("the token is not valid");
    expect(unknown.stderr).toContain("check --token or IMFED_TOKEN");
    expect(await auditNext()).toBe(before);
  });

  it("exits 1 and asks whether the store runs when nothing listens at the endpoint", async () => {
    const run = await imfed(["providers", "list"], {
      IMFED_ENDPOINT: `http://127.0.0.1:${await freeLoopbackPort()}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is "imfed serve" running there?');
  });

  it("colors only when allowed: FORCE_COLOR colors, NO_COLOR wins", async () => {
    const forced = await imfed(["providers", "list"], { FORCE_COLOR: "1" });
    expect(forced.stdout).toContain("\u001b[");
    const plain = await imfed(["providers", "list"], { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain("\u001b[");
    const piped = await imfed(["providers", "list"]);
    expect(piped.stdout).not.toContain("\u001b[");
  });
});

// Waits until the condition holds, checking every 50 ms, for at most the given time.
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
