/**
 * When the client may send a request again after a failure whose outcome it cannot know.
 *
 * - `GET` (and `HEAD`) are safe (RFC 9110 section 9.2.1): always repeated.
 * - An unconditional `PUT` or `DELETE` is idempotent (RFC 9110 section 9.2.2): sending it twice
 *   leaves the store as sending it once (a `PUT` that changes nothing answers 200 with no new
 *   revision), so it is repeated.
 * - A conditional write (`If-Match` or `If-None-Match`) is not repeated: if the first attempt
 *   was applied and only its answer was lost, the repeat would fail with 412 and blame a change
 *   nobody made. `PATCH` and `POST` are never repeated.
 * - Any request is repeated when the connection was refused, because then nothing was sent.
 */
export interface RetryPolicy {
  /** How many times a request may be repeated after the first attempt. */
  readonly retries: number;
  /** The delay before the first repeat, in milliseconds; it doubles each time, with full jitter. */
  readonly baseDelayMs: number;
  /** The longest delay between attempts, in milliseconds. */
  readonly maxDelayMs: number;
}

/** Three repeats, 100 ms doubling up to 2 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 3,
  baseDelayMs: 100,
  maxDelayMs: 2000,
});

/** The statuses that say the store did not handle the request and may handle it later. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** What the client knows of a request when it decides whether to repeat it. */
export interface RequestShape {
  readonly method: string;
  readonly conditional: boolean;
}

/** Tells whether a request may be repeated when its outcome is unknown (timeout, reset, 502/503/504). */
export function isRepeatable(request: RequestShape): boolean {
  switch (request.method) {
    case "GET":
    case "HEAD":
      return true;
    case "PUT":
    case "DELETE":
      return !request.conditional;
    default:
      return false;
  }
}

/** Tells whether an HTTP status is worth a repeat (for a repeatable request). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Tells whether a fetch failure means nothing reached the store, so any request may be repeated. */
export function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === "ECONNREFUSED";
}

/** The delay before repeat number `attempt` (1 for the first repeat): exponential backoff with full jitter. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
