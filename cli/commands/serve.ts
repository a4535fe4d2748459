import { existsSync, readFileSync, unlinkSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { isIP } from "node:net";
import path from "node:path";
import { Command, Option } from "commander";
import type { FastifyInstance } from "fastify";
import {
  AuditRetention,
  DEFAULT_RETRY,
  DEFAULT_WEBHOOK_LIMITS,
  EventDelivery,
  DEFAULT_AUTH_FAILURE_LIMITS,
  DEFAULT_TRANSPORT_LIMITS,
  assertPrivateFolder,
  buildServer,
  ensurePrivateFolder,
  generateToken,
  openTopologyStore,
  tokenProblem,
  transportLimitsProblem,
  writeSecretFileExclusively,
} from "../../store";
import { controlPanel } from "../../store/control-panel";
import type { TlsIdentity, TopologyStore, TransportLimits } from "../../store";
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
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly trustProxy?: string;
  readonly headersTimeout: number;
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
  readonly maxConnections: number;
  readonly authFailureLimit: number;
  readonly authFailureWindow: number;
  readonly allowHttpLoopbackWebhooks?: boolean;
  readonly webhookTimeout: number;
  readonly webhookRetryInitial: number;
  readonly webhookRetryMax: number;
  readonly webhookFailureLimit: number;
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
    .addOption(
      new Option("--tls-cert <file>", "serve HTTPS with this certificate (PEM; with --tls-key)").env(
        "IMFED_TLS_CERT",
      ),
    )
    .addOption(new Option("--tls-key <file>", "the private key of --tls-cert (PEM)").env("IMFED_TLS_KEY"))
    .addOption(
      new Option(
        "--trust-proxy <addresses>",
        "believe X-Forwarded-Proto and X-Forwarded-For from these proxies: addresses, CIDR ranges, loopback, linklocal or uniquelocal, comma-separated",
      )
        .env("IMFED_TRUST_PROXY")
        .argParser(parseTrustProxy),
    )
    .addOption(
      new Option("--headers-timeout <seconds>", "a request's headers must arrive within this time")
        .env("IMFED_HEADERS_TIMEOUT")
        .default(DEFAULT_TRANSPORT_LIMITS.headersTimeoutMs / 1000)
        .argParser(seconds("--headers-timeout")),
    )
    .addOption(
      new Option("--request-timeout <seconds>", "a whole request must arrive within this time")
        .env("IMFED_REQUEST_TIMEOUT")
        .default(DEFAULT_TRANSPORT_LIMITS.requestTimeoutMs / 1000)
        .argParser(seconds("--request-timeout")),
    )
    .addOption(
      new Option("--keep-alive-timeout <seconds>", "an idle keep-alive connection is closed after this time")
        .env("IMFED_KEEP_ALIVE_TIMEOUT")
        .default(DEFAULT_TRANSPORT_LIMITS.keepAliveTimeoutMs / 1000)
        .argParser(seconds("--keep-alive-timeout")),
    )
    .addOption(
      new Option("--max-connections <n>", "connections held at once; more are closed at once")
        .env("IMFED_MAX_CONNECTIONS")
        .default(DEFAULT_TRANSPORT_LIMITS.maxConnections)
        .argParser(wholeNumber("--max-connections", 1)),
    )
    .addOption(
      new Option(
        "--auth-failure-limit <n>",
        "failed authentications a client address may make per window before they are answered 429 (0: no limit)",
      )
        .env("IMFED_AUTH_FAILURE_LIMIT")
        .default(DEFAULT_AUTH_FAILURE_LIMITS.failures)
        .argParser(wholeNumber("--auth-failure-limit", 0)),
    )
    .addOption(
      new Option("--auth-failure-window <seconds>", "the window of --auth-failure-limit")
        .env("IMFED_AUTH_FAILURE_WINDOW")
        .default(DEFAULT_AUTH_FAILURE_LIMITS.windowMs / 1000)
        .argParser(seconds("--auth-failure-window")),
    )
    .addOption(
      new Option(
        "--allow-http-loopback-webhooks",
        "let change-event subscriptions use http, and reach loopback addresses (receivers on this machine; never in production)",
      ).env("IMFED_ALLOW_HTTP_LOOPBACK_WEBHOOKS"),
    )
    .addOption(
      new Option("--webhook-timeout <seconds>", "a change-event delivery must be answered within this time")
        .env("IMFED_WEBHOOK_TIMEOUT")
        .default(DEFAULT_WEBHOOK_LIMITS.timeoutMs / 1000)
        .argParser(seconds("--webhook-timeout")),
    )
    .addOption(
      new Option(
        "--webhook-retry-initial <seconds>",
        "the wait after a failed delivery; it doubles with each failure in a row (with jitter)",
      )
        .env("IMFED_WEBHOOK_RETRY_INITIAL")
        .default(DEFAULT_RETRY.initialMs / 1000)
        .argParser(seconds("--webhook-retry-initial")),
    )
    .addOption(
      new Option("--webhook-retry-max <seconds>", "the longest wait between two delivery attempts")
        .env("IMFED_WEBHOOK_RETRY_MAX")
        .default(DEFAULT_RETRY.maxMs / 1000)
        .argParser(seconds("--webhook-retry-max")),
    )
    .addOption(
      new Option(
        "--webhook-failure-limit <n>",
        "failed deliveries in a row after which a subscription is paused until an administrator resumes it",
      )
        .env("IMFED_WEBHOOK_FAILURE_LIMIT")
        .default(DEFAULT_RETRY.failureLimit)
        .argParser(wholeNumber("--webhook-failure-limit", 1)),
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

// A positive number of seconds (fractions allowed), as milliseconds.
function seconds(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(value.trim()) || !(number > 0))
      throw new CliError(`${flag} must be a positive number of seconds, not "${value}"`, EXIT.usage);
    return number;
  };
}

function wholeNumber(flag: string, least: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^[0-9]+$/.test(value.trim()) || number < least)
      throw new CliError(`${flag} must be a whole number of at least ${least}, not "${value}"`, EXIT.usage);
    return number;
  };
}

// proxy-addr's forms, which fastify's trustProxy compiles: an address, an address with a CIDR
// prefix, or a named range. Not `true` (every client could forge its address and protocol) and
// not a hop count (fastify then trusts no X-Forwarded-Proto, as the peer cannot be checked).
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

function parseTrustProxy(value: string): string {
  const entries = value.split(",").map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = "", prefix, ...rest] = entry.split("/");
    const family = isIP(address);
    const prefixFits =
      prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (NAMED_RANGES.has(entry) || (family !== 0 && prefixFits && rest.length === 0)) continue;
    throw new CliError(
      `--trust-proxy takes the addresses of your proxies: IP addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, comma-separated; "${entry}" is none of these`,
      EXIT.usage,
    );
  }
  return entries.join(",");
}

function transportLimitsOf(options: ServeOptions): TransportLimits {
  const limits = {
    headersTimeoutMs: Math.round(options.headersTimeout * 1000),
    requestTimeoutMs: Math.round(options.requestTimeout * 1000),
    keepAliveTimeoutMs: Math.round(options.keepAliveTimeout * 1000),
    maxConnections: options.maxConnections,
  };
  if (options.headersTimeout > options.requestTimeout) {
    throw new CliError(
      `--headers-timeout (${options.headersTimeout} s) must not exceed --request-timeout (${options.requestTimeout} s)`,
      EXIT.usage,
    );
  }
  const problem = transportLimitsProblem(limits);
  if (problem !== undefined) throw new CliError(problem, EXIT.usage);
  return limits;
}

function tlsIdentityOf(options: ServeOptions): TlsIdentity | undefined {
  const cert = options.tlsCert === "" ? undefined : options.tlsCert;
  const key = options.tlsKey === "" ? undefined : options.tlsKey;
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined)
    throw new CliError("--tls-cert and --tls-key go together: give both to serve HTTPS", EXIT.usage);
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new CliError(`${flag}: cannot read "${file}": ${(error as Error).message}`, EXIT.usage);
    }
  };
  return { cert: read("--tls-cert", cert), key: read("--tls-key", key) };
}

async function serve(given: ServeOptions): Promise<void> {
  // An empty IMFED_ADMIN_TOKEN is no token at all.
  const options = { ...given, adminToken: given.adminToken === "" ? undefined : given.adminToken };
  if (options.adminToken !== undefined) {
    const problem = tokenProblem(options.adminToken);
    if (problem !== undefined) throw new CliError(`--admin-token ${problem}`, EXIT.usage);
  }
  const transport = transportLimitsOf(options);
  const tls = tlsIdentityOf(options);
  const db = dbLocationOf(options.db);
  const store = await openTopologyStore(db, { createFolder: createsItsFolder(db) });
  let app: FastifyInstance | undefined;
  const webhooks = { allowHttpLoopback: options.allowHttpLoopbackWebhooks === true };
  const delivery = new EventDelivery(store.storeDatabase, {
    policy: webhooks,
    limits: { ...DEFAULT_WEBHOOK_LIMITS, timeoutMs: Math.round(options.webhookTimeout * 1000) },
    retry: {
      initialMs: Math.round(options.webhookRetryInitial * 1000),
      maxMs: Math.round(options.webhookRetryMax * 1000),
      failureLimit: options.webhookFailureLimit,
    },
    onFailure: (subscription, seq, error, paused) =>
      app?.log.warn(
        { subscription, seq, error, paused },
        paused
          ? "change-event delivery failed; the subscription is paused"
          : "change-event delivery failed; it is retried",
      ),
    onDelivered: (subscription, seq, deliveryId) =>
      app?.log.debug({ subscription, seq, deliveryId }, "change event delivered"),
    onError: (error) => app?.log.warn({ err: error }, "change-event delivery round failed; it tries again"),
  });
  const retention = new AuditRetention(store.storeDatabase, {
    ...(options.auditRetentionDays === undefined ? {} : { maxAgeDays: options.auditRetentionDays }),
    ...(options.auditRetentionEntries === undefined ? {} : { maxEntries: options.auditRetentionEntries }),
    // Entries an active subscription has not had yet are never removed.
    lowestSeqNeeded: () => delivery.lowestSeqNeeded(),
    onPruned: (removed) => app?.log.info({ removed }, "audit retention removed old entries"),
    onError: (error) => app?.log.warn({ err: error }, "audit retention failed; it tries again in a minute"),
  });
  try {
    const tokenNote = await bootstrap(store, options.adminToken);
    app = await buildServer({
      store,
      logger: { level: options.logLevel },
      plugins: [controlPanel({ store })],
      transport,
      ...(tls === undefined ? {} : { tls }),
      ...(options.trustProxy === undefined || options.trustProxy === ""
        ? {}
        : { trustProxy: options.trustProxy }),
      authFailureLimits: {
        ...DEFAULT_AUTH_FAILURE_LIMITS,
        failures: options.authFailureLimit,
        windowMs: Math.round(options.authFailureWindow * 1000),
      },
      webhooks,
    });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const url = `${tls === undefined ? "http" : "https"}://${host}:${address.port}`;
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
    delivery.start();
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
  handleSignals(app, store, retention, delivery);
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
function handleSignals(
  app: FastifyInstance,
  store: TopologyStore,
  retention: AuditRetention,
  delivery: EventDelivery,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(EXIT.error);
    stopping = true;
    app.log.info({ signal }, "shutting down");
    setTimeout(() => process.exit(EXIT.error), 10_000).unref();
    void app
      .close()
      .then(() => retention.stop())
      .then(() => delivery.stop())
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
