/**
 * The store `imfed serve` listens on by default (`--host 127.0.0.1`, `--port 7430`): the
 * endpoint the CLI and the Pulumi provider use when none is configured.
 */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:7430";
