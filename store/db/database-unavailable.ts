/** How long a client is told to wait (`Retry-After`, seconds) while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Network errors of a connection that could not be made or was lost (Node's net and dns).
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

// PostgreSQL's SQLSTATEs for a server that cannot serve now (Appendix A, "PostgreSQL Error
// Codes"): class 08 connection exception, 57P01 admin_shutdown, 57P02 crash_shutdown,
// 57P03 cannot_connect_now, 53300 too_many_connections.
const POSTGRES_STATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

// SQLite's answer when another connection held the lock past busy_timeout: the file is there,
// but cannot be used now (https://www.sqlite.org/rescode.html#busy).
const SQLITE_CODES = new Set(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_TIMEOUT"]);

// node-postgres reports a lost or unmade connection by message only.
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated due to connection timeout/i;

/**
 * Tells whether a database error means the database cannot be reached or cannot serve now (a
 * PostgreSQL server that is down, restarting or full; a SQLite lock held too long), rather than
 * a fault of the request or of the store. The API answers such a failure 503 `unavailable` with
 * `Retry-After` (docs/api.md: never 500). It looks through `cause` and an AggregateError's
 * `errors` (Node reports a connection refused on every address of a host that way).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== "object" || depth > 4) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLITE_CODES.has(code))) return true;
  if (typeof code === "string" && POSTGRES_STATES.test(code)) return true;
  if (typeof message === "string" && PG_MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
