import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { describeIfPostgres, sharedPostgres } from "../../helpers/backend";
import { IMFED_BIN, makeToken, startStore } from "../../helpers/store-process";

/**
 * The store's files on disk (docs/architecture.md: the bootstrap token is
 * written to `admin-token`, mode 0600): private modes whatever the umask, a bootstrap token
 * file that never writes over or through what is already there, folders that other users
 * could write refused, and a `--db` that names nothing never making a new store. Every case
 * runs the built `imfed` command in a process of its own.
 */

const ENV = { IMFED_DB: "", IMFED_ADMIN_TOKEN: "", IMFED_LOG_LEVEL: "warn" };

function imfed(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [IMFED_BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...ENV, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `imfed serve` under `umask 000` (the loosest) until it listens; returns its output and stops it. */
async function serveOnce(
  args: readonly string[],
  cwd: string,
  check: () => void = () => {},
): Promise<string> {
  const child = spawn(
    "/bin/sh",
    ["-c", 'umask 000; exec "$0" "$@"', process.execPath, IMFED_BIN, "serve", "--port", "0", ...args],
    { cwd, env: { ...process.env, ...ENV }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const deadline = Date.now() + 30_000;
    while (!output.includes("imfed store listening on") && child.exitCode === null) {
      if (Date.now() > deadline) throw new Error(`imfed serve did not start in 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!output.includes("imfed store listening on")) throw new Error(`imfed serve exited:\n${output}`);
    check();
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
  return output;
}

const modeOf = (file: string) => statSync(file).mode & 0o7777;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imfed-files-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the store's files", () => {
  it("are private after a real start even under umask 000: .imfed/ 0700, the database, its -wal and -shm and admin-token 0600", async () => {
    const imfedDir = path.join(dir, ".imfed");
    await serveOnce([], dir, () => {
      expect(modeOf(imfedDir)).toBe(0o700);
      for (const name of ["store.db", "store.db-wal", "store.db-shm", "admin-token"]) {
        expect([name, modeOf(path.join(imfedDir, name))]).toEqual([name, 0o600]);
      }
    });
  });

  it("are made private at start when an older store left them readable by others", async () => {
    const first = await serveOnce([], dir);
    expect(first).toContain("Admin token (shown only this once");
    const imfedDir = path.join(dir, ".imfed");
    chmodSync(imfedDir, 0o755);
    chmodSync(path.join(imfedDir, "store.db"), 0o644);
    await serveOnce([], dir, () => {
      expect(modeOf(imfedDir)).toBe(0o700);
      expect(modeOf(path.join(imfedDir, "store.db"))).toBe(0o600);
      expect(modeOf(path.join(imfedDir, "store.db-wal"))).toBe(0o600);
      expect(modeOf(path.join(imfedDir, "store.db-shm"))).toBe(0o600);
    });
  });

  it("leave the mode of a folder given with --db as it is, and keep the database 0600 there", async () => {
    const own = path.join(dir, "data");
    mkdirSync(own, { mode: 0o750 });
    chmodSync(own, 0o750);
    await serveOnce(["--db", path.join(own, "store.db")], dir, () => {
      expect(modeOf(own)).toBe(0o750);
      expect(modeOf(path.join(own, "store.db"))).toBe(0o600);
      expect(modeOf(path.join(own, "admin-token"))).toBe(0o600);
    });
  });
});

describe("the bootstrap token file", () => {
  it("is never written over: a pre-created admin-token is refused, left untouched, and no token is stored", async () => {
    const file = path.join(dir, "admin-token");
    writeFileSync(file, "planted\n", { mode: 0o644 });
    const db = path.join(dir, "store.db");
    const refused = imfed(["serve", "--port", "0", "--db", db], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`"${file}" already exists`);
    expect(refused.stderr).toContain("move it away");
    expect(readFileSync(file, "utf8")).toBe("planted\n");
    expect(modeOf(file)).toBe(0o644);
    expect(refused.stdout + refused.stderr).not.toMatch(/imfed_[A-Za-z0-9_-]{43}/);

    // The store was left without a token: once the file is moved away, a start bootstraps it.
    rmSync(file);
    const output = await serveOnce(["--db", db], dir);
    const token = readFileSync(file, "utf8").trim();
    expect(token).toMatch(/^imfed_[A-Za-z0-9_-]{43}$/);
    expect(output).toContain(token);
    const listed = imfed(["token", "list", "--db", db, "--json"], dir);
    expect((JSON.parse(listed.stdout) as { items: { name: string }[] }).items.map((t) => t.name)).toEqual([
      "admin",
    ]);
  });

  it("is never written through a link: a symlink admin-token is refused, and the file it points to is untouched", () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), "imfed-target-"));
    try {
      const target = path.join(elsewhere, "root-owned-config");
      writeFileSync(target, "precious\n", { mode: 0o644 });
      const link = path.join(dir, "admin-token");
      symlinkSync(target, link);
      // A dangling link too: O_CREAT alone would create its target.
      const dangling = path.join(elsewhere, "not-yet");
      const otherDir = mkdtempSync(path.join(tmpdir(), "imfed-files-"));
      symlinkSync(dangling, path.join(otherDir, "admin-token"));
      try {
        for (const [folder, what] of [
          [dir, "a link to a file"],
          [otherDir, "a dangling link"],
        ] as const) {
          const refused = imfed(["serve", "--port", "0", "--db", path.join(folder, "store.db")], dir);
          expect([what, refused.status]).toEqual([what, 1]);
          expect(refused.stderr).toContain("already exists");
          expect(lstatSync(path.join(folder, "admin-token")).isSymbolicLink()).toBe(true);
        }
        expect(readFileSync(target, "utf8")).toBe("precious\n");
        expect(modeOf(target)).toBe(0o644);
        expect(readlinkSync(link)).toBe(target);
        expect(existsSync(dangling)).toBe(false);
      } finally {
        rmSync(otherDir, { recursive: true, force: true });
      }
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("a folder other users can write", () => {
  it.each([
    ["world-writable", 0o777],
    ["group-writable", 0o770],
    ["world-writable with the sticky bit", 0o1777],
  ])("is refused when %s, before any file is made in it", (_, mode) => {
    const shared = path.join(dir, "shared");
    mkdirSync(shared);
    chmodSync(shared, mode);
    const refused = imfed(["serve", "--port", "0", "--db", path.join(shared, "store.db")], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`the folder "${shared}" can be written by other users`);
    expect(refused.stderr).toContain("chmod go-w");
    expect(existsSync(path.join(shared, "store.db"))).toBe(false);
    expect(existsSync(path.join(shared, "admin-token"))).toBe(false);

    const token = imfed(["token", "list", "--db", path.join(shared, "store.db")], dir);
    expect(token.status).toBe(1);
  });

  // Only root can give a folder to another user; elsewhere the case cannot be set up.
  (process.getuid?.() === 0 ? it : it.skip)("is refused when it belongs to another user", () => {
    const theirs = path.join(dir, "theirs");
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    const refused = imfed(["serve", "--port", "0", "--db", path.join(theirs, "store.db")], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`the folder "${theirs}" belongs to another user (uid 65534`);
    expect(existsSync(path.join(theirs, "store.db"))).toBe(false);
  });
});

describe("a --db that names nothing", () => {
  it.each([
    ["a folder", ["nonexistent", "dir"]],
    ["a .imfed folder in a folder", ["nonexistent", ".imfed"]],
  ])(
    "makes imfed serve fail when %s that does not exist is named, saying so, and creates no folder",
    (_, parts) => {
      const missing = path.join(dir, ...parts);
      const refused = imfed(["serve", "--port", "0", "--db", path.join(missing, "x.db")], dir);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`the folder "${missing}" of the database`);
      expect(refused.stderr).toContain("does not exist");
      expect(existsSync(path.join(dir, "nonexistent"))).toBe(false);
      expect(refused.stdout).not.toContain("imfed_");
    },
  );

  it("makes imfed token create, list and revoke fail without creating a store or printing a token", () => {
    const typo = path.join(dir, "stroe.db");
    for (const args of [["create", "ci", "--role", "CsAdministrator"], ["list"], ["revoke", "ci"]]) {
      const refused = imfed(["token", ...args, "--db", typo], dir);
      expect([args[0], refused.status]).toEqual([args[0], 1]);
      expect(refused.stderr).toContain(`there is no store at "${typo}"`);
      expect(refused.stdout).toBe("");
      expect(existsSync(typo)).toBe(false);
    }
    const missingFolder = imfed(["token", "list", "--db", path.join(dir, "nope", "store.db")], dir);
    expect(missingFolder.status).toBe(1);
    expect(missingFolder.stderr).toContain("does not exist");
    // The default too: no .imfed/ is made by a token command.
    const noDefault = imfed(["token", "create", "ci", "--role", "CsAdministrator"], dir);
    expect(noDefault.status).toBe(1);
    expect(existsSync(path.join(dir, ".imfed"))).toBe(false);
  });

  it("makes imfed token fail on an empty SQLite file, which holds no store", () => {
    const empty = path.join(dir, "empty.db");
    writeFileSync(empty, "", { mode: 0o600 });
    const refused = imfed(["token", "create", "ci", "--role", "CsAdministrator", "--db", empty], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("holds no imfed store");
    const tables = new BetterSqlite3(empty, { readonly: true })
      .prepare("select name from sqlite_master")
      .all();
    expect(tables).toEqual([]);
  });

  it("lets imfed serve make the .imfed folder, 0700, when named in an existing folder (as npm start must name it)", async () => {
    const project = path.join(dir, "project");
    mkdirSync(project, { mode: 0o755 });
    const imfedDir = path.join(project, ".imfed");
    await serveOnce(["--db", path.join(imfedDir, "store.db")], dir, () => {
      expect(modeOf(imfedDir)).toBe(0o700);
      expect(modeOf(path.join(imfedDir, "admin-token"))).toBe(0o600);
    });
  });

  it("still lets imfed serve make a new store in an existing folder of its own", async () => {
    const store = await startStore({ db: path.join(dir, "new.db") });
    try {
      expect((await fetch(`${store.url}/healthz`)).status).toBe(200);
    } finally {
      await store.stop();
    }
  });
});

describe("an operator's --admin-token", () => {
  it("is refused when it has 32 characters but obviously low entropy, by flag and by environment, never echoed", () => {
    const weak = "a".repeat(32);
    const db = path.join(dir, "store.db");
    for (const [args, env] of [
      [["--admin-token", weak], {}],
      [[], { IMFED_ADMIN_TOKEN: weak }],
    ] as const) {
      const refused = imfed(["serve", "--port", "0", "--db", db, ...args], dir, env);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain("--admin-token is too easy to guess");
      expect(refused.stderr).toContain("openssl rand -base64 32");
      expect(refused.stderr + refused.stdout).not.toContain(weak);
      expect(existsSync(db)).toBe(false);
    }
  });

  it("is taken when random", async () => {
    const token = makeToken();
    const store = await startStore({ db: path.join(dir, "store.db"), adminToken: token });
    try {
      const answer = await fetch(`${store.url}/v1/tokens`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
    } finally {
      await store.stop();
    }
  });
});

describeIfPostgres("imfed token --db on a PostgreSQL database", () => {
  it("fails on a database that holds no store, and creates no table in it", async () => {
    const server = await sharedPostgres();
    const url = await server.createDatabase("empty");
    const refused = imfed(["token", "create", "ci", "--role", "CsAdministrator", "--db", url], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("holds no imfed store");
    expect(refused.stdout).toBe("");
    const { Client } = await import("pg");
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query(
        "select table_name from information_schema.tables where table_schema = 'public'",
      );
      expect(tables.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
