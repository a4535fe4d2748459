import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Command, Option } from "commander";
import type { FastifyInstance } from "fastify";
import { buildServer, openTopologyStore, tokenProblem } from "../../store";
import { controlPanel } from "../../store/control-panel";
import type { TopologyStore } from "../../store";
import { CliError, EXIT } from "../exit-codes";
import { printNote } from "../output";

/** The SQLite file a store uses when neither `--db` nor `IMFED_DB` names one. */
export const DEFAULT_DB = ".imfed/store.db";

interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly db: string;
  readonly adminToken?: string;
  readonly logLevel: string;
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
      new Option("--log-level <level>", "log level")
        .env("IMFED_LOG_LEVEL")
        .choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
        .default("info"),
    )
    .action(async (options: ServeOptions) => {
      await serve(options);
    });
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
  const store = await openTopologyStore(options.db);
  let app: FastifyInstance | undefined;
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
        tokenNote,
      ].join("\n"),
    );
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
  handleSignals(app, store);
}

// The bootstrap administrator token is made once, on a store that has no token yet: the one
// given, or a new one that is printed once and written beside the database, mode 0600.
async function bootstrap(store: TopologyStore, given: string | undefined): Promise<string> {
  const file = adminTokenFile(store);
  const created = await store.bootstrapAdminToken(given);
  if (created === undefined) {
    if (given !== undefined) {
      printNote(
        'warning: --admin-token is ignored: the store already has tokens (to make another, run "imfed token create --db")',
      );
    }
    return existsSync(file)
      ? `Admin token: in ${file} (written at the first start)`
      : 'Admin token: the store already has tokens ("imfed token create NAME --db ..." makes another)';
  }
  if (given !== undefined) return 'Admin token: the one given with --admin-token (named "admin")';
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${created.token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
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
function handleSignals(app: FastifyInstance, store: TopologyStore): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(EXIT.error);
    stopping = true;
    app.log.info({ signal }, "shutting down");
    setTimeout(() => process.exit(EXIT.error), 10_000).unref();
    void app
      .close()
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
