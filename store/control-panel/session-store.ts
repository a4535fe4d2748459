import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { SessionsTable, StoreTables } from "../db/schema";

/** What a flash message tells: the outcome of a write (`success`) or what stopped it (`problem`). */
export type FlashKind = "success" | "problem";

/** A message for the next page shown, then cleared. */
export interface Flash {
  readonly kind: FlashKind;
  readonly text: string;
}

/** A signed-in browser: which token it signed in with (its hash, never the secret) and its CSRF token. */
export interface Session {
  /** The SHA-256 of the session id: the key of the session in the database. */
  readonly idHash: string;
  /** The SHA-256 of the token the operator signed in with; checked again on every request, so a revoked token ends the session. */
  readonly tokenHash: string;
  /** The per-session token every form carries in its `_csrf` field. */
  readonly csrfToken: string;
  /** Times in milliseconds since the epoch. */
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  /** A message for the next page shown (the outcome of the last write), then cleared. */
  readonly flash?: Flash;
}

/** How long sessions live, and how many one token may have. */
export interface SessionLimits {
  /** A session unused this long ends (default 8 hours). */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not (default 24 hours). */
  readonly maxAgeMs: number;
  /**
   * The most sessions one token keeps (default 100): a new sign-in beyond it ends the oldest
   * session of that same token, never another token's.
   */
  readonly maxPerToken: number;
}

/** The default {@link SessionLimits}: 8 hours idle, 24 hours at most, 100 sessions per token. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = Object.freeze({
  idleMs: 8 * 60 * 60 * 1000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxPerToken: 100,
});

/**
 * How often a session's last-seen time is written: at most once a minute, so that a page view
 * reads its session and rarely writes it (the idle limit is then exact to a minute).
 */
export const LAST_SEEN_INTERVAL_MS = 60_000;

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

/** The key of a session id in the database: its SHA-256, so that the id itself is never stored. */
export function sessionIdHash(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("hex");
}

/**
 * The Control Panel's sessions, in the store's database (table `sessions`, SQLite or
 * PostgreSQL): a restart of the store keeps them, and every store process on one PostgreSQL
 * honours the sessions of the others. The cookie holds only a random session id; the table
 * holds its SHA-256. Expired sessions are purged at each sign-in.
 */
export class SessionStore {
  constructor(
    private readonly db: Kysely<StoreTables>,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts a session for a token's hash; returns the new session id (for the cookie) and the
   * session. In one transaction it also purges expired sessions and ends the oldest sessions of
   * the same token beyond {@link SessionLimits.maxPerToken}.
   */
  async create(tokenHash: string): Promise<{ readonly id: string; readonly session: Session }> {
    const id = randomSecret();
    const at = this.now();
    const session: Session = {
      idHash: sessionIdHash(id),
      tokenHash,
      csrfToken: randomSecret(),
      createdAt: at,
      lastSeenAt: at,
      expiresAt: at + Math.min(this.limits.idleMs, this.limits.maxAgeMs),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("sessions").where("expires_at", "<=", isoOf(at)).execute();
      await trx.insertInto("sessions").values(rowOf(session)).execute();
      // The cap is per token (a view-only token's sign-ins must not end an administrator's
      // session); the new session is kept whatever the clock says of the others.
      const newest = trx
        .selectFrom("sessions")
        .select("id_hash")
        .where("token_hash", "=", tokenHash)
        .where("id_hash", "<>", session.idHash)
        .orderBy("created_at", "desc")
        .limit(Math.max(0, this.limits.maxPerToken - 1));
      await trx
        .deleteFrom("sessions")
        .where("token_hash", "=", tokenHash)
        .where("id_hash", "<>", session.idHash)
        .where("id_hash", "not in", newest)
        .execute();
    });
    return { id, session };
  }

  /**
   * The live session of an id, or `undefined` (unknown or expired, which also ends it). Reads
   * one row; writes its last-seen time only when the last write is a minute old.
   */
  async tryFind(id: string | undefined): Promise<Session | undefined> {
    if (id === undefined || id === "") return undefined;
    const idHash = sessionIdHash(id);
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("id_hash", "=", idHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const session = sessionOf(row);
    const at = this.now();
    if (session.expiresAt <= at) {
      await this.endByHash(idHash);
      return undefined;
    }
    if (at - session.lastSeenAt < LAST_SEEN_INTERVAL_MS) return session;
    const expiresAt = Math.min(session.createdAt + this.limits.maxAgeMs, at + this.limits.idleMs);
    await this.db
      .updateTable("sessions")
      .set({ last_seen_at: isoOf(at), expires_at: isoOf(expiresAt) })
      .where("id_hash", "=", idHash)
      .execute();
    return { ...session, lastSeenAt: at, expiresAt };
  }

  /** Keeps a message for the next page the session shows. */
  async setFlash(session: Session, flash: Flash): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ flash_kind: flash.kind, flash_message: flash.text })
      .where("id_hash", "=", session.idHash)
      .execute();
  }

  /** Clears the session's message once a page has shown it. */
  async clearFlash(session: Session): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ flash_kind: null, flash_message: null })
      .where("id_hash", "=", session.idHash)
      .execute();
  }

  /** Ends a session by its id (sign-out, or a new sign-in in the same browser). */
  async delete(id: string | undefined): Promise<void> {
    if (id !== undefined && id !== "") await this.endByHash(sessionIdHash(id));
  }

  /** Ends a session (its token no longer works). */
  async end(session: Session): Promise<void> {
    await this.endByHash(session.idHash);
  }

  private async endByHash(idHash: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
  }
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

function rowOf(session: Session): SessionsTable {
  return {
    id_hash: session.idHash,
    token_hash: session.tokenHash,
    csrf_token: session.csrfToken,
    created_at: isoOf(session.createdAt),
    last_seen_at: isoOf(session.lastSeenAt),
    expires_at: isoOf(session.expiresAt),
    flash_kind: null,
    flash_message: null,
  };
}

function sessionOf(row: SessionsTable): Session {
  const flash =
    row.flash_message === null
      ? undefined
      : { kind: row.flash_kind === "success" ? "success" : "problem", text: row.flash_message };
  return {
    idHash: row.id_hash,
    tokenHash: row.token_hash,
    csrfToken: row.csrf_token,
    createdAt: Date.parse(row.created_at),
    lastSeenAt: Date.parse(row.last_seen_at),
    expiresAt: Date.parse(row.expires_at),
    ...(flash === undefined ? {} : { flash: flash as Flash }),
  };
}
