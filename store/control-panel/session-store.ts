import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A signed-in browser: which token it signed in with (its hash, never the secret) and its CSRF token. */
export interface Session {
  /** The SHA-256 of the token the operator signed in with; checked again on every request, so a revoked token ends the session. */
  readonly tokenHash: string;
  /** The per-session token every form carries in its `_csrf` field. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** A message for the next page shown (the outcome of the last write), then cleared. */
  flash?: string;
}

/** How long sessions live. */
export interface SessionLimits {
  /** A session unused this long ends (default 8 hours). */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not (default 24 hours). */
  readonly maxAgeMs: number;
  /** The most sessions kept; the least recently used one goes first (default 10,000). */
  readonly maxSessions: number;
}

/** The default {@link SessionLimits}: 8 hours idle, 24 hours at most, 10,000 sessions. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = Object.freeze({
  idleMs: 8 * 60 * 60 * 1000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxSessions: 10_000,
});

/** Makes a random value of 256 bits in base64url, for session ids and CSRF tokens. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Compares two secrets in constant time (for equal lengths; lengths are not secret). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The Control Panel's sessions, in the store process's memory: the cookie holds only a random
 * session id, and the map is keyed by the id's SHA-256, so a session id is never stored. A
 * restart of the store signs everyone out, which is fine for an admin page.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session for a token's hash; returns the new session id (for the cookie) and the session. */
  create(tokenHash: string): { readonly id: string; readonly session: Session } {
    this.evict();
    const id = randomSecret();
    const at = this.now();
    const session: Session = { tokenHash, csrfToken: randomSecret(), createdAt: at, lastSeenAt: at };
    this.sessions.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session of an id, or `undefined` (unknown or expired, which also ends it). */
  tryFind(id: string | undefined): Session | undefined {
    if (id === undefined || id === "") return undefined;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const at = this.now();
    if (at - session.lastSeenAt > this.limits.idleMs || at - session.createdAt > this.limits.maxAgeMs) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = at;
    // Map order is insertion order: moving the session to the end keeps the least recently used first.
    this.sessions.delete(key);
    this.sessions.set(key, session);
    return session;
  }

  /** Ends a session (sign-out, or its token no longer works). */
  delete(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(keyOf(id));
  }

  /** How many sessions are kept. */
  get size(): number {
    return this.sessions.size;
  }

  private evict(): void {
    while (this.sessions.size >= this.limits.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done === true) return;
      this.sessions.delete(oldest.value);
    }
  }
}

function keyOf(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("hex");
}
