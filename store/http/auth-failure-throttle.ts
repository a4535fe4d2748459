import { isIPv4, isIPv6 } from "node:net";
import type { FastifyBaseLogger } from "fastify";

/** How many failed authentications an address may make in a window before it is answered 429. */
export interface AuthFailureLimits {
  /** Failed authentications an address may make per window; 0 turns the throttle off. */
  readonly failures: number;
  /** The length of a window, in milliseconds. */
  readonly windowMs: number;
  /** How many addresses are tracked at most; past it, the address whose window began first is dropped. */
  readonly maxAddresses: number;
}

/** 50 failures a minute per address, 10,000 addresses tracked (about 1 MB at most). */
export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = Object.freeze({
  failures: 50,
  windowMs: 60_000,
  maxAddresses: 10_000,
});

/** What {@link AuthFailureThrottle.recordFailure} decided about one failed authentication. */
export type AuthFailureVerdict =
  | { readonly throttled: false }
  | {
      readonly throttled: true;
      /** Whole seconds until the address's window ends (the `Retry-After` value), at least 1. */
      readonly retryAfterSeconds: number;
      /** True for the first failure over the budget in this window: the one worth a log line. */
      readonly first: boolean;
      /** The address as counted (an IPv6 address by its /64). */
      readonly client: string;
      /** Failures of the address in this window so far. */
      readonly failures: number;
    };

interface Window {
  readonly startedAt: number;
  failures: number;
}

/**
 * Counts failed authentications (an unknown or revoked token, at the API or at the Control
 * Panel's sign-in) per client address in fixed windows, and says when an address has spent its
 * budget, so that its further failures are answered 429 with `Retry-After` instead of 401.
 *
 * It never refuses a valid token: the caller asks it only after a token has failed, so an
 * administrator behind the same address as a flood is still served (OWASP ASVS 2.2.1 asks that
 * throttling not become a lockout anyone can cause). Tokens hold 256 random bits, so the throttle
 * does not make guessing harder; it bounds the noise of a flood and makes it visible (a log line
 * per address and window, and a metric). Memory is bounded by `maxAddresses`.
 */
export class AuthFailureThrottle {
  readonly #limits: AuthFailureLimits;
  readonly #now: () => number;
  // Insertion order is the order windows began: a window is deleted and set again when it restarts.
  readonly #windows = new Map<string, Window>();
  readonly #listeners: ((throttled: boolean) => void)[] = [];

  constructor(limits: AuthFailureLimits = DEFAULT_AUTH_FAILURE_LIMITS, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** The limits in force. */
  get limits(): AuthFailureLimits {
    return this.#limits;
  }

  /** How many addresses are tracked now (at most `maxAddresses`). */
  get trackedAddresses(): number {
    return this.#windows.size;
  }

  /** Calls `listener` at every failed authentication, with whether it was throttled (for the metrics). */
  onFailure(listener: (throttled: boolean) => void): void {
    this.#listeners.push(listener);
  }

  /** Counts a failed authentication from `address` and says whether it is over the budget. */
  recordFailure(address: string | undefined): AuthFailureVerdict {
    const verdict = this.#count(clientKey(address));
    for (const listener of this.#listeners) listener(verdict.throttled);
    return verdict;
  }

  #count(client: string): AuthFailureVerdict {
    const { failures: budget, windowMs, maxAddresses } = this.#limits;
    if (budget <= 0) return { throttled: false };
    const now = this.#now();
    let window = this.#windows.get(client);
    if (window === undefined || now - window.startedAt >= windowMs) {
      this.#windows.delete(client);
      window = { startedAt: now, failures: 0 };
      this.#windows.set(client, window);
      this.#evict(now, maxAddresses);
    }
    window.failures += 1;
    if (window.failures <= budget) return { throttled: false };
    return {
      throttled: true,
      retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000)),
      first: window.failures === budget + 1,
      client,
      failures: window.failures,
    };
  }

  // Ended windows go first; past the cap, the oldest windows go too, so that many addresses
  // cannot grow the map without bound.
  #evict(now: number, maxAddresses: number): void {
    for (const [client, window] of this.#windows) {
      if (this.#windows.size <= maxAddresses && now - window.startedAt < this.#limits.windowMs) break;
      this.#windows.delete(client);
    }
  }
}

/**
 * Logs that an address spent its budget of failed authentications (once per address and
 * window: the verdict's `first`), so that a flood shows in the log without a line per attempt.
 */
export function logThrottled(
  log: FastifyBaseLogger,
  verdict: Extract<AuthFailureVerdict, { throttled: true }>,
  limits: AuthFailureLimits,
): void {
  log.warn(
    { client: verdict.client, failures: limits.failures, windowSeconds: limits.windowMs / 1000 },
    "too many failed authentications from one address: its further failures are answered 429 until the window ends",
  );
}

/**
 * The key an address is counted under: an IPv4 address as it is (also when written as an
 * IPv4-mapped IPv6 address), an IPv6 address by its /64 prefix (one host commonly holds a whole
 * /64, RFC 4291 section 2.5.1), anything else as given.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === "") return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIPv4(address) || !isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
}

// The eight 16-bit groups of an IPv6 address, "::" expanded (a zone index dropped).
function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("%")[0]!.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((group) =>
    group.replace(/^0+(?=.)/, ""),
  );
}
