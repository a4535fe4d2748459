/**
 * The typed client of the topology store's HTTP API v1, used by the Pulumi provider and the
 * `imfed` command: timeouts, repeats of requests that are safe to repeat, and the error
 * classes of `core/` for every error body of the contract.
 */
export { StoreClient } from "./store-client";
export { KindClient } from "./kind-client";
export type { KindTransport, PutResult } from "./kind-client";
export type { StoreClientOptions, WriteOptions, ListAuditOptions, EvaluateRequest } from "./store-client";
export { StoreUnavailableError } from "./store-unavailable-error";
export { DEFAULT_ENDPOINT } from "./default-endpoint";
export type { RetryPolicy } from "./retry-policy";
export { DEFAULT_RETRY_POLICY } from "./retry-policy";
