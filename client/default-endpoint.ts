/**
 * The store's URL when nothing names one: where `imfed serve` listens by default (its `--host`
 * and `--port` defaults), for the `imfed` command and the Pulumi provider alike.
 */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:7430";
