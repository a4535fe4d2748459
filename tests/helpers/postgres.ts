import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { freeLoopbackPort } from "./ports";

/** A PostgreSQL server of our own, in a temporary folder, on a loopback port. */
export interface PostgresServer {
  /** The loopback port it listens on (never the system cluster's 5432). */
  readonly port: number;
  /** The role the store connects as, and its password (the URL carries both). */
  readonly user: string;
  readonly password: string;
  /** Makes a new, empty database and returns its `postgres://` URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Runs SQL as the superuser on a database of this server (by its URL), and returns the rows. */
  query<R extends Record<string, unknown>>(url: string, sql: string, values?: unknown[]): Promise<R[]>;
  /** Everything the server wrote to its log so far. */
  output(): string;
  /** Stops the server (fast shutdown, its sessions ended) and keeps its data, for {@link PostgresServer.resume}. */
  pause(): Promise<void>;
  /** Starts a paused server again, on the same port with the same data, and waits until it takes connections. */
  resume(): Promise<void>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

const SUPERUSER = "postgres";
const STORE_ROLE = "imfed";

/** The folder of Debian's PostgreSQL programs (`IMFED_PG_BIN` overrides it), or `undefined` when not installed. */
export function postgresBinDir(): string | undefined {
  const given = process.env.IMFED_PG_BIN;
  if (given !== undefined && given !== "") return given;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((entry) => existsSync(path.join(root, entry, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin");
}

/**
 * Why the PostgreSQL runs cannot happen here, or `undefined` when they can. They are left out
 * only when PostgreSQL is not installed and `CI` is not set: in CI, a missing PostgreSQL fails
 * the tests (jest.config.js leaves out the PostgreSQL-only files by the same rule).
 */
export function postgresSkipReason(): string | undefined {
  if (postgresBinDir() !== undefined || process.env.CI !== undefined) return undefined;
  return 'PostgreSQL is not installed, so its runs are left out: install Debian\'s "postgresql" package (".ci/run" does) or set IMFED_PG_BIN';
}

// PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user that
// Debian's package makes; as anyone else it runs as that user.
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/**
 * Starts a new PostgreSQL cluster: `initdb` into a new temporary folder and `postgres` on a free
 * port of 127.0.0.1, its unix socket in that folder, password (SCRAM) authentication over TCP.
 * Durability settings are relaxed (`fsync=off`): the tests kill store processes, never this
 * server, and a cluster that lives for one test file need not survive a power loss.
 * It costs a few seconds, so a test file shares one server and makes a database per store.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) {
    throw new Error(
      'PostgreSQL is not installed: install Debian\'s "postgresql" package (".ci/run" does) or set IMFED_PG_BIN',
    );
  }
  const user = serverUser();
  const dir = mkdtempSync(path.join(tmpdir(), "imfed-pg-"));
  const dataDir = path.join(dir, "data");
  const superPassword = randomBytes(18).toString("base64url");
  const password = randomBytes(18).toString("base64url");
  const passwordFile = path.join(dir, "superuser-password");
  writeFileSync(passwordFile, `${superPassword}\n`, { mode: 0o600 });
  if (user !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  const spawnAs = user === undefined ? {} : { uid: user.uid, gid: user.gid };

  execFileSync(
    path.join(bin, "initdb"),
    [
      "-D",
      dataDir,
      "-U",
      SUPERUSER,
      `--pwfile=${passwordFile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ],
    { ...spawnAs, cwd: dir, stdio: "pipe", env: { ...process.env, LC_ALL: "C" } },
  );

  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freeLoopbackPort();
    try {
      return await launch({ bin, dir, dataDir, port, spawnAs, superPassword, password });
    } catch (error) {
      // Another process may have taken the port between the probe and the start: try another.
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

interface LaunchOptions {
  readonly bin: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly port: number;
  readonly spawnAs: { uid?: number; gid?: number };
  readonly superPassword: string;
  readonly password: string;
}

async function launch(options: LaunchOptions): Promise<PostgresServer> {
  const { bin, dir, dataDir, port, spawnAs, superPassword, password } = options;
  let log = "";
  const start = () => {
    const child: ChildProcess = spawn(
      path.join(bin, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
        "-c",
        "log_min_messages=warning",
      ],
      { ...spawnAs, cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } },
    );
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    return { child, exited, killOnExit };
  };
  let { child, exited, killOnExit } = start();

  const superUrl = (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(superPassword)}@127.0.0.1:${port}/${database}`;
  const query = async <R extends Record<string, unknown>>(url: string, sql: string, values?: unknown[]) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };

  // Ready when it takes a connection over TCP; bounded to 60 s (a bound on a broken start, not a
  // pace: it is ready in about a second on an idle machine).
  const ready = async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        process.removeListener("exit", killOnExit);
        throw new Error(`postgres exited before it was ready:\n${log}`);
      }
      try {
        await query(superUrl("postgres"), "select 1");
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          child.kill("SIGKILL");
          process.removeListener("exit", killOnExit);
          throw new Error(`postgres was not ready in 60 s (${String(error)}):\n${log}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  await ready();
  // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops at once.
  const shutDown = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  // The store connects as an ordinary role with a password, as it would in production.
  await query(superUrl("postgres"), `create role ${STORE_ROLE} login password '${password}'`);

  let databases = 0;
  return {
    port,
    user: STORE_ROLE,
    password,
    async createDatabase(prefix = "imfed") {
      databases += 1;
      const name = `${prefix.replace(/[^a-z0-9_]/g, "_")}_${process.pid}_${databases}`;
      await query(superUrl("postgres"), `create database ${name} owner ${STORE_ROLE}`);
      return `postgres://${STORE_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
    },
    // Connects with the superuser's password to the database the URL names.
    query(url, sql, values) {
      const database = new URL(url).pathname.slice(1);
      return query(superUrl(database), sql, values);
    },
    output: () => log,
    pause: shutDown,
    async resume() {
      if (child.exitCode === null && child.signalCode === null) return;
      ({ child, exited, killOnExit } = start());
      await ready();
    },
    async stop() {
      await shutDown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
