import { existsSync, unlinkSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Command, Option } from "commander";
import type { FastifyInstance } from "fastify";
import {
  AuditRetention,
  assertPrivateFolder,
  buildServer,
  ensurePrivateFolder,
  generateToken,
  openTopologyStore,
  tokenProblem,
  writeSecretFileExclusively,
} from "../../store";
import { controlPanel } from "../../store/control-panel";
import type { TopologyStore } from "../../store";
import { CliError, EXIT } from "../exit-codes";
import { printNote } from "../output";

/** The SQLite file a store uses when neither `--db` nor `IMFED_DB` names one. */
export const DEFAULT_DB = ".imfed/store.db";

/** The `--db` value to use: an empty one (`IMFED_DB=`) is the default. */
export function dbLocationOf(given: string | undefined): string {
  return given === undefined || given === "" ? DEFAULT_DB : given;
}

/**
 * Tells whether the store may create the folder of a `--db` value: only a `.imfed` folder, as
 * the default `.imfed/store.db` has (also when named by a path, as `npm start` must, which runs
 * in the package's folder), and only in a folder that exists. Any other folder must exist, so
 * that a typo in a path fails instead of silently starting a new, empty store.
 */
export function createsItsFolder(location: string): boolean {
  return path.basename(path.dirname(path.resolve(location))) === path.dirname(DEFAULT_DB);
}

interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly db: string;
  readonly adminToken?: string;
  readonly logLevel: string;
  readonly auditRetentionDays?: number;
  readonly auditRetentionEntries?: number;
}

/** `imfed serve`: runs the topology store (HTTP API v1 and the Control Panel). */
export function serveCommand(): Command {
  return new Command("serve")
    .description("run the topology store: the HTTP API v1 and the Control Panel")
    .addOption(new Option("--host <host>", "address to listen on").env("IMFED_HOST").default("127.0.0.1"))
    .addOption(
      new Option("--port <port>", "port to listen on (0: any free port)")
        .env("IMFED_PORT")
        .default(7430)
        .argParser(parsePort),
    )
    .addOption(
      new Option("--db <path-or-url>", "SQLite file, or a postgres:// URL")
        .env("IMFED_DB")
        .default(DEFAULT_DB),
    )
    .addOption(
      new Option(
        "--admin-token <token>",
        "bootstrap administrator token for a new store (prefer the environment variable)",
      ).env("IMFED_ADMIN_TOKEN"),
    )
    .addOption(
      new Option(
        "--audit-retention-days <days>",
        "remove audit entries older than this many days, in the background (default: keep all)",
      )
        .env("IMFED_AUDIT_RETENTION_DAYS")
        .argParser(parseRetention("--audit-retention-days")),
    )
    .addOption(
      new Option(
        "--audit-retention-entries <count>",
        "keep only the newest this many audit entries, removing older ones in the background (default: keep all)",
      )
        .env("IMFED_AUDIT_RETENTION_ENTRIES")
        .argParser(parseRetention("--audit-retention-entries")),
    )
    .addOption(
      new Option("--log-level <level>", "log level")
        .env("IMFED_LOG_LEVEL")
        .choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
        .default("info"),
    )
    .action(async (options: ServeOptions) => {
      await serve(options);
    });
}

// An empty value (IMFED_AUDIT_RETENTION_DAYS=) means no limit, as the option left out does.
function parseRetention(flag: string): (value: string) => number | undefined {
  return (value) => {
    if (value === "") return undefined;
    if (!/^[1-9][0-9]{0,8}$/.test(value)) {
      throw new CliError(
        `${flag} must be a whole number of at least 1, not "${value}" (leave it out to keep every entry)`,
        EXIT.usage,
      );
    }
    return Number(value);
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^[0-9]+$/.test(value) || port > 65535)
    throw new CliError(`--port must be a number from 0 to 65535, not "${value}"`, EXIT.usage);
  return port;
}

async function serve(given: ServeOptions): Promise<void> {
  // An empty IMFED_ADMIN_TOKEN is no token at all.
  const options = { ...given, adminToken: given.adminToken === "" ? undefined : given.adminToken };
  if (options.adminToken !== undefined) {
    const problem = tokenProblem(options.adminToken);
    if (problem !== undefined) throw new CliError(`--admin-token ${problem}`, EXIT.usage);
  }
  const db = dbLocationOf(options.db);
  const store = await openTopologyStore(db, { createFolder: createsItsFolder(db) });
  let app: FastifyInstance | undefined;
  const retention = new AuditRetention(store.storeDatabase, {
    ...(options.auditRetentionDays === undefined ? {} : { maxAgeDays: options.auditRetentionDays }),
    ...(options.auditRetentionEntries === undefined ? {} : { maxEntries: options.auditRetentionEntries }),
    // No reader of the log needs old entries yet; change events will pass their subscribers' cursor.
    lowestSeqNeeded: () => undefined,
    onPruned: (removed) => app?.log.info({ removed }, "audit retention removed old entries"),
    onError: (error) => app?.log.warn({ err: error }, "audit retention failed; it tries again in a minute"),
  });
  try {
    const tokenNote = await bootstrap(store, options.adminToken);
    app = await buildServer({
      store,
      logger: { level: options.logLevel },
      plugins: [controlPanel({ store })],
    });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    printNote(
      [
        `imfed store listening on ${url}`,
        `Control Panel: ${url}/`,
        `Database: ${store.storeDatabase.location} (${store.storeDatabase.dialect === "sqlite" ? "SQLite" : "PostgreSQL"})`,
        `Audit retention: ${retentionNote(options)}`,
        tokenNote,
      ].join("\n"),
    );
    retention.start();
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
  handleSignals(app, store, retention);
}

function retentionNote(options: ServeOptions): string {
  const limits = [
    ...(options.auditRetentionDays === undefined
      ? []
      : [`entries older than ${options.auditRetentionDays} days`]),
    ...(options.auditRetentionEntries === undefined
      ? []
      : [`all but the newest ${options.auditRetentionEntries} entries`]),
  ];
  return limits.length === 0
    ? "off, every entry is kept (--audit-retention-days, --audit-retention-entries)"
    : `${limits.join(" and ")} are removed in the background`;
}

// The bootstrap administrator token is made once, on a store that has no token yet: the one
// given, or a new one that is printed once and written beside the database, mode 0600. The file
// is written (exclusively, never through a link) before the token is stored, so that a file
// that cannot be made leaves a store without a token, which the next start bootstraps again,
// never a store whose only token nobody has.
async function bootstrap(store: TopologyStore, given: string | undefined): Promise<string> {
  const file = adminTokenFile(store);
  const existingNote = () =>
    existsSync(file)
      ? `Admin token: in ${file} (written at the first start)`
      : 'Admin token: the store already has tokens ("imfed token create NAME --db ..." makes another)';
  if (given !== undefined) {
    if ((await store.bootstrapAdminToken(given)) !== undefined)
      return 'Admin token: the one given with --admin-token (named "admin")';
    printNote(
      'warning: --admin-token is ignored: the store already has tokens (to make another, run "imfed token create --db")',
    );
    return existingNote();
  }
  if ((await store.listTokens()).length > 0) return existingNote();

  const folder = path.dirname(file);
  // With PostgreSQL the file goes to .imfed/ of the working directory, made here; a SQLite
  // file's folder exists already (and was checked when the database was opened).
  if (store.storeDatabase.sqliteFile === undefined) ensurePrivateFolder(folder);
  assertPrivateFolder(folder, "the admin token file");
  const secret = generateToken();
  writeSecretFileExclusively(
    file,
    `${secret}\n`,
    "move it away (or delete it if it is an old store's), or give the token with --admin-token (IMFED_ADMIN_TOKEN)",
  );
  const created = await store.bootstrapAdminToken(secret).catch((error: unknown) => {
    unlinkSync(file);
    throw error;
  });
  if (created === undefined) {
    // Another process made the first token meanwhile: this file holds a token that works nowhere.
    unlinkSync(file);
    return existingNote();
  }
  return `Admin token (shown only this once; also written to ${file}, mode 0600): ${created.token}`;
}

/** Where the generated bootstrap token is written: beside the SQLite file, or in `.imfed/` of the working directory. */
export function adminTokenFile(store: TopologyStore): string {
  const sqliteFile = store.storeDatabase.sqliteFile;
  return sqliteFile === undefined
    ? path.resolve(".imfed", "admin-token")
    : path.join(path.dirname(sqliteFile), "admin-token");
}

// SIGTERM and SIGINT stop taking requests, let those under way finish, close the database and
// exit 0; a second signal, or 10 s, ends the process at once.
function handleSignals(app: FastifyInstance, store: TopologyStore, retention: AuditRetention): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(EXIT.error);
    stopping = true;
    app.log.info({ signal }, "shutting down");
    setTimeout(() => process.exit(EXIT.error), 10_000).unref();
    void app
      .close()
      .then(() => retention.stop())
      .then(() => store.close())
      .then(
        () => process.exit(EXIT.ok),
        (error: unknown) => {
          app.log.error({ err: error }, "shutdown failed");
          process.exit(EXIT.error);
        },
      );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
