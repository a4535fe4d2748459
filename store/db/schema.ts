import type { Generated } from "kysely";

/**
 * The tables of the topology store, the same on SQLite and PostgreSQL. Booleans are stored as
 * integers 0 and 1 and times as ISO 8601 text, so that one set of queries serves both.
 */
export interface StoreTables {
  documents: DocumentsTable;
  document_keys: DocumentKeysTable;
  tokens: TokensTable;
  audit: AuditTable;
  counters: CountersTable;
  sessions: SessionsTable;
  subscriptions: SubscriptionsTable;
}

/**
 * One object of a resource kind (migration `0005_documents`): its settings as a JSON document,
 * validated by the kind's schema on every write and parsed with it on every read, so that a
 * field added to the kind later reads back with its default. `(kind, id_key)` is the primary
 * key: `id_key` is the id with ASCII case folded (`kind.keyOf`), `id` its spelling as created.
 */
export interface DocumentsTable {
  kind: string;
  id_key: string;
  id: string;
  document: string;
  revision: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
  updated_via: string;
  update_reason: string | null;
}

/**
 * The keys of the documents: one row per identity and per unique key of each document, whose
 * primary key `(kind, field, value_key)` is the database's UNIQUE constraint on them (a name,
 * a provider's proxyFqdn). `value_key` is the value as the field compares it (ASCII case folded
 * for a case-insensitive field); `id_key` names the document that holds it. Written in the
 * same transaction as the document.
 */
export interface DocumentKeysTable {
  kind: string;
  field: string;
  value_key: string;
  id_key: string;
}

/** An API token: only the SHA-256 of its secret is kept. */
export interface TokensTable {
  name_key: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: string;
}

/** One audit entry; `before` and `after` are JSON snapshots. */
export interface AuditTable {
  seq: Generated<number>;
  at: string;
  actor: string;
  via: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
  reason: string | null;
}

/** Store-wide counters; `revision` is the change sequence number every write takes. */
export interface CountersTable {
  name: string;
  value: number;
}

/**
 * A Control Panel session (migration `0003_sessions`). The cookie's session id is never
 * stored, only its SHA-256 (`id_hash`); `token_hash` is the SHA-256 of the token the operator
 * signed in with, checked against `tokens` on every request and used to end the token's
 * sessions when it is revoked.
 */
export interface SessionsTable {
  id_hash: string;
  token_hash: string;
  /** The per-session token every form carries in its `_csrf` field. */
  csrf_token: string;
  created_at: string;
  /** Updated at most once a minute, so that a page view rarely writes. */
  last_seen_at: string;
  /** The earlier of the idle limit after `last_seen_at` and the maximum age after `created_at`. */
  expires_at: string;
  /** The outcome of the last write, shown once on the next page: `success` or `problem`, and its text. */
  flash_kind: string | null;
  flash_message: string | null;
}

/**
 * A change-event subscription (migration `0006_subscriptions`). `secret` is the HMAC key the
 * store signs deliveries with, so it is kept as it is; it leaves the database only to sign.
 * `cursor` is the `seq` of the last audit entry delivered or skipped by the filter.
 */
export interface SubscriptionsTable {
  id: string;
  url: string;
  description: string | null;
  /** The filter as JSON. */
  filter: string;
  secret: string;
  /** `active` or `paused`. */
  state: string;
  cursor: number;
  failures: number;
  last_error: string | null;
  last_error_at: string | null;
  next_attempt_at: string | null;
  /** On SQLite, the process delivering to the subscription now, and until when its claim holds. */
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  created_by: string;
}
