/** Where a request goes: anything with the base URL of a running store. */
export interface ApiTarget {
  readonly url: string;
}

/** Options of {@link api}. */
export interface ApiOptions {
  /** The bearer token; none is sent when absent. */
  readonly token?: string;
  /** A value sent as JSON (with `Content-Type: application/json` unless `contentType` says otherwise). */
  readonly body?: unknown;
  /** A body sent as it is (with `Content-Type: application/json` unless `contentType` says otherwise). */
  readonly rawBody?: string | Uint8Array;
  /** More request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `Content-Type` of the body; `null` sends none at all. */
  readonly contentType?: string | null;
}

/** What the store answered. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /**
   * The body parsed as JSON, or `undefined` when it is empty or not JSON; untyped on purpose,
   * since tests check the wire format itself.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  /** The body as text. */
  readonly text: string;
}

/**
 * Sends one request to a store over the loopback network with the global `fetch`, and reads
 * the whole answer. Never throws on an HTTP error status: tests look at `status`.
 */
export async function api(
  target: ApiTarget,
  method: string,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (options.contentType === null) {
    // fetch would label a string "text/plain"; a byte array goes without a Content-Type.
    if (typeof body === "string") body = new TextEncoder().encode(body);
  } else if (body !== undefined || options.contentType !== undefined) {
    headers["content-type"] = options.contentType ?? "application/json";
  }
  const response = await fetch(`${target.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The error code of an error answer (`body.error.code`), or `undefined`. */
export function errorCode(response: ApiResponse): string | undefined {
  const body = response.body as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === "string" ? body.error.code : undefined;
}

/** The paths of an error answer's validation details. */
export function errorPaths(response: ApiResponse): string[] {
  const body = response.body as { error?: { details?: { path: string }[] } } | undefined;
  return (body?.error?.details ?? []).map((detail) => detail.path);
}

/** Encodes a provider name for a path, as a client must (`Yahoo!` → `Yahoo!`, a space → `%20`). */
export function providerPath(name: string): string {
  return `/v1/providers/${encodeURIComponent(name)}`;
}
