import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { IMFED_BIN, makeToken, startStore } from "../../helpers/store-process";
import { freeLoopbackPort } from "../../helpers/ports";

const ROOT = path.resolve(__dirname, "../../..");

function imfed(args: readonly string[], cwd: string) {
  const result = spawnSync(process.execPath, [IMFED_BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, IMFED_DB: "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("imfed serve", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-serve-"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts with `npm start` on the embedded SQLite default, prints the admin token once and answers /healthz", async () => {
    const port = await freeLoopbackPort();
    // `npm start` from the package, with the working directory a new folder: the store goes to .imfed/ there.
    const child = spawn("npm", ["start", "--prefix", ROOT, "--silent"], {
      cwd: dir,
      env: {
        ...process.env,
        IMFED_PORT: String(port),
        IMFED_DB: path.join(dir, ".imfed", "store.db"),
        IMFED_ADMIN_TOKEN: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(
        () => /imfed store listening on http:\/\/127\.0\.0\.1:\d+/.test(output),
        () => output,
      );
      const token = readFileSync(path.join(dir, ".imfed", "admin-token"), "utf8").trim();
      expect(token).toMatch(/^imfed_[A-Za-z0-9_-]{43}$/);
      expect(statSync(path.join(dir, ".imfed", "admin-token")).mode & 0o777).toBe(0o600);
      expect(output).toContain(`Control Panel: http://127.0.0.1:${port}/`);
      expect(output.split(token).length - 1).toBe(1);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      const providers = await fetch(`http://127.0.0.1:${port}/v1/providers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(providers.status).toBe(200);
    } finally {
      process.kill(-child.pid!, "SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });

  it("exits 0 on SIGTERM and on SIGINT, and keeps what it acknowledged", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const db = path.join(dir, `${signal}.db`);
      const store = await startStore({ db });
      const response = await fetch(`${store.url}/v1/providers/MSN`, {
        method: "PATCH",
        headers: {
          authorization: `Bearer ${store.adminToken}`,
          "content-type": "application/merge-patch+json",
        },
        body: JSON.stringify({ enabled: true }),
      });
      expect(response.status).toBe(200);
      store.child.kill(signal);
      const code = await new Promise<number | null>((resolve) =>
        store.child.once("exit", (exitCode) => resolve(exitCode)),
      );
      expect(code).toBe(0);

      const again = await startStore({ db, adminToken: store.adminToken });
      try {
        const msn = await fetch(`${again.url}/v1/providers/MSN`, {
          headers: { authorization: `Bearer ${store.adminToken}` },
        });
        expect(((await msn.json()) as { enabled: boolean }).enabled).toBe(true);
      } finally {
        await again.stop();
        await store.stop();
      }
    }
  });

  it("ignores --admin-token with a warning on a store that already has tokens", async () => {
    const db = path.join(dir, "store.db");
    const first = await startStore({ db });
    await first.terminate();
    const other = makeToken();
    const second = await startStore({ db, adminToken: other });
    try {
      expect(second.output()).toContain("--admin-token is ignored");
      const refused = await fetch(`${second.url}/v1/providers`, {
        headers: { authorization: `Bearer ${other}` },
      });
      expect(refused.status).toBe(401);
      const accepted = await fetch(`${second.url}/v1/providers`, {
        headers: { authorization: `Bearer ${first.adminToken}` },
      });
      expect(accepted.status).toBe(200);
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it("answers a request that is not valid HTTP with the contract's 400 error body", async () => {
    const store = await startStore({ db: path.join(dir, "store.db") });
    try {
      const { port } = new URL(store.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
        let text = "";
        socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { error: { code: string } };
      expect(body.error.code).toBe("bad_request");
      expect((await fetch(`${store.url}/healthz`)).status).toBe(200);
    } finally {
      await store.stop();
    }
  });

  it("refuses an --admin-token too short to be a secret, with exit code 2", () => {
    const result = imfed(
      ["serve", "--port", "0", "--db", path.join(dir, "store.db"), "--admin-token", "short"],
      dir,
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--admin-token must be at least 32 characters");
  });

  it("refuses a port that is not a number, with exit code 2", () => {
    const result = imfed(["serve", "--port", "http", "--db", path.join(dir, "store.db")], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--port must be a number");
  });
});

describe("imfed token --db", () => {
  let dir: string;
  let db: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-token-"));
    db = path.join(dir, "store.db");
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates a token that a running store accepts at once, lists it without its secret, and revokes it", async () => {
    const store = await startStore({ db });
    try {
      const created = imfed(
        ["token", "create", "oncall", "--role", "CsViewOnlyAdministrator", "--db", db, "--json"],
        dir,
      );
      expect(created.status).toBe(0);
      const token = JSON.parse(created.stdout) as { name: string; role: string; token: string };
      expect(token).toMatchObject({ name: "oncall", role: "CsViewOnlyAdministrator" });

      const read = await fetch(`${store.url}/v1/federation`, {
        headers: { authorization: `Bearer ${token.token}` },
      });
      expect(read.status).toBe(200);
      const write = await fetch(`${store.url}/v1/federation`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
        body: "{}",
      });
      expect(write.status).toBe(403);

      const listed = imfed(["token", "list", "--db", db, "--json"], dir);
      expect(listed.status).toBe(0);
      expect(listed.stdout).not.toContain(token.token);
      expect(
        (JSON.parse(listed.stdout) as { items: { name: string }[] }).items.map((item) => item.name),
      ).toEqual(["admin", "oncall"]);

      const revoked = imfed(["token", "revoke", "oncall", "--db", db], dir);
      expect(revoked.status).toBe(0);
      const after = await fetch(`${store.url}/v1/federation`, {
        headers: { authorization: `Bearer ${token.token}` },
      });
      expect(after.status).toBe(401);

      const audit = await fetch(`${store.url}/v1/audit`, {
        headers: { authorization: `Bearer ${store.adminToken}` },
      });
      const entries = (
        (await audit.json()) as { items: { target: string; action: string; via: string; actor: string }[] }
      ).items;
      expect(
        entries.filter((entry) => entry.target === "token/oncall").map((entry) => [entry.action, entry.via]),
      ).toEqual([
        ["create", "cli"],
        ["delete", "cli"],
      ]);
      expect(JSON.stringify(entries)).not.toContain(token.token);
    } finally {
      await store.stop();
    }
  });

  it("exits 5 on a taken name, 4 on an unknown one and 2 on an invalid one", () => {
    expect(imfed(["token", "create", "admin", "--role", "CsAdministrator", "--db", db], dir).status).toBe(5);
    const unknown = imfed(["token", "revoke", "nobody", "--db", db], dir);
    expect(unknown.status).toBe(4);
    expect(unknown.stderr).toContain('token "nobody" not found');
    expect(imfed(["token", "create", "no spaces", "--role", "CsAdministrator", "--db", db], dir).status).toBe(
      2,
    );
    expect(imfed(["token", "create", "x", "--role", "Root", "--db", db], dir).status).toBe(2);
  });
});

async function waitFor(condition: () => boolean, describe: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
