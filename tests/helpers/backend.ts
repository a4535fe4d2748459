import type { PostgresServer } from "./postgres";
import { postgresSkipReason, startPostgres } from "./postgres";
import type { StartStoreOptions, StoreProcess } from "./store-process";
import { startStore } from "./store-process";

/** The database engines a store runs on, as the tests name them. */
export type Backend = "sqlite" | "postgres";

/** Every backend this machine can run, for `describe.each(BACKENDS)`: PostgreSQL only where {@link postgresSkipReason} allows. */
export const BACKENDS: readonly Backend[] =
  postgresSkipReason() === undefined ? ["sqlite", "postgres"] : ["sqlite"];
if (!BACKENDS.includes("postgres")) process.stderr.write(`${postgresSkipReason()}\n`);

/** `describe` for a block that needs PostgreSQL: skipped where {@link BACKENDS} leaves PostgreSQL out. */
export const describeIfPostgres: jest.Describe = BACKENDS.includes("postgres") ? describe : describe.skip;

let chosen: Backend | undefined;

/**
 * Chooses the backend that {@link startBackendStore} uses in this test file, so that one suite
 * runs against another backend by importing it (`useBackend("postgres"); import "./suite.test"`).
 */
export function useBackend(backend: Backend): void {
  chosen = backend;
}

/** The backend of this test file: the one given to {@link useBackend}, else `IMFED_TEST_BACKEND`, else SQLite. */
export function currentBackend(): Backend {
  if (chosen !== undefined) return chosen;
  const fromEnv = process.env.IMFED_TEST_BACKEND ?? "sqlite";
  if (fromEnv !== "sqlite" && fromEnv !== "postgres") {
    throw new Error(`IMFED_TEST_BACKEND must be "sqlite" or "postgres", not "${fromEnv}"`);
  }
  return fromEnv;
}

let sharedServer: Promise<PostgresServer> | undefined;
const liveStores = new Set<StoreProcess>();

/** The PostgreSQL server this test file shares (started at the first call, stopped after the file). */
export function sharedPostgres(): Promise<PostgresServer> {
  sharedServer ??= startPostgres();
  return sharedServer;
}

/** Options of {@link startBackendStore}. */
export interface StartBackendStoreOptions extends StartStoreOptions {
  /** Default: {@link currentBackend}. */
  readonly backend?: Backend;
}

/**
 * A store process on a new, empty database of the backend: a new SQLite file, or a new
 * database on the file's shared PostgreSQL server. With `db` given, it opens that database
 * (a second process on the same data, or a restart). `stop()` leaves the shared server up.
 */
export async function startBackendStore(options: StartBackendStoreOptions = {}): Promise<StoreProcess> {
  const backend = options.backend ?? currentBackend();
  let db = options.db;
  if (db === undefined && backend === "postgres") db = await (await sharedPostgres()).createDatabase("store");
  const store = await startStore({ ...options, ...(db === undefined ? {} : { db }) });
  liveStores.add(store);
  const stop = store.stop;
  return {
    ...store,
    async stop() {
      liveStores.delete(store);
      await stop();
    },
  };
}

/**
 * Stops every store this file started that is still running, then the shared PostgreSQL
 * server.
 */
export async function stopBackends(): Promise<void> {
  await Promise.all([...liveStores].map((store) => store.kill()));
  liveStores.clear();
  const server = sharedServer;
  sharedServer = undefined;
  if (server !== undefined) await (await server).stop();
}

// Declared when the helper is first imported, so it may run before the file's own afterAll
// hooks: it kills the stores still running (their own stop() then finds them gone) so that the
// PostgreSQL server never waits on a live session.
if (typeof afterAll === "function") afterAll(stopBackends, 30_000);
