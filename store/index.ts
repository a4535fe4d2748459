/**
 * The topology store service: the database layer (SQLite by default, PostgreSQL), the
 * {@link TopologyStore} every writer goes through, and the HTTP API v1.
 */
export { TopologyStore, BOOTSTRAP_TOKEN_NAME, specOf } from "./topology-store";
export type { WriteContext, Preconditions, PutResult, Principal, AuditQuery } from "./topology-store";
export { openStoreDatabase, isPostgresUrl, withoutPassword } from "./db/database";
export type { StoreDatabase, DatabaseDialect } from "./db/database";
export { buildServer, MAX_BODY_BYTES, LOG_REDACT_PATHS } from "./http/server";
export type { ServerOptions } from "./http/server";
export { DEFAULT_TRANSPORT_LIMITS, transportLimitsProblem } from "./http/transport";
export type { TransportLimits, TlsIdentity } from "./http/transport";
export { DEFAULT_AUTH_FAILURE_LIMITS, AuthFailureThrottle } from "./http/auth-failure-throttle";
export type { AuthFailureLimits } from "./http/auth-failure-throttle";
export { openApiDocument } from "./http/openapi";
export { generateToken, hashToken, tokenProblem, TOKEN_PREFIX } from "./tokens";

import { openStoreDatabase } from "./db/database";
import { TopologyStore } from "./topology-store";

/** Opens (creating and migrating when new) the store at a SQLite path or `postgres://` URL. */
export async function openTopologyStore(location: string): Promise<TopologyStore> {
  return new TopologyStore(await openStoreDatabase(location));
}
