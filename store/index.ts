/**
 * The topology store service: the database layer (SQLite by default, PostgreSQL), the
 * {@link TopologyStore} every writer goes through, and the HTTP API v1.
 */
export { TopologyStore } from "./topology-store";
export type { ObjectStore, PutResult } from "./object-store";
export type { WriteContext } from "./write-context";
export type { Preconditions } from "./preconditions";
export type { AuditQuery } from "./audit-log";
export { BOOTSTRAP_TOKEN_NAME } from "./token-registry";
export type { Principal } from "./token-registry";
export { openStoreDatabase, isPostgresUrl, withoutPassword } from "./db/database";
export type { StoreDatabase, DatabaseDialect, OpenStoreOptions } from "./db/database";
export {
  PRIVATE_FILE_MODE,
  PRIVATE_FOLDER_MODE,
  assertPrivateFolder,
  ensurePrivateFolder,
  writeSecretFileExclusively,
} from "./db/private-files";
export { buildServer, LOG_REDACT_PATHS } from "./http/server";
export type { ServerOptions } from "./http/server";
export { DEFAULT_TRANSPORT_LIMITS, MAX_BODY_BYTES, transportLimitsProblem } from "./http/transport";
export type { TransportLimits, TlsIdentity } from "./http/transport";
export { DEFAULT_AUTH_FAILURE_LIMITS, AuthFailureThrottle } from "./http/auth-failure-throttle";
export type { AuthFailureLimits } from "./http/auth-failure-throttle";
export { openApiDocument } from "./http/openapi";
export { generateToken, hashToken, tokenProblem, TOKEN_PREFIX } from "./tokens";
export { AuditRetention, AUDIT_RETENTION_BATCH, AUDIT_RETENTION_INTERVAL_MS } from "./audit-retention";
export type { AuditRetentionOptions, LowestSeqNeeded } from "./audit-retention";
export { EventDelivery, DEFAULT_RETRY } from "./events/event-delivery";
export type { EventDeliveryOptions, RetrySettings } from "./events/event-delivery";
export { DEFAULT_WEBHOOK_LIMITS } from "./events/webhook-sender";
export type { WebhookPolicy } from "./events/webhook-url";

import type { OpenStoreOptions } from "./db/database";
import { openStoreDatabase } from "./db/database";
import { TopologyStore } from "./topology-store";

/**
 * Opens (creating and migrating when new, unless `options` say otherwise) the store at a
 * SQLite path or `postgres://` URL.
 */
export async function openTopologyStore(
  location: string,
  options: OpenStoreOptions = {},
): Promise<TopologyStore> {
  return new TopologyStore(await openStoreDatabase(location, options));
}
