import type { Kysely } from "kysely";
import type { StoreTables } from "./schema";

// Every read of the audit log walks its primary key (`seq`: SQLite's rowid, PostgreSQL's
// audit_pkey) in order and stops at a LIMIT, so its cost is bounded by what it returns, never by
// the size of the log. tests/integration/store/audit-log.test.ts checks each plan with EXPLAIN
// on both databases. No other index is needed: nothing reads the log by another column.

/** A page of the audit log, oldest first: the entries after `after`, at most `limit` (`GET /v1/audit`). */
export function auditPageQuery(db: Kysely<StoreTables>, after: number, limit: number) {
  return db.selectFrom("audit").selectAll().where("seq", ">", after).orderBy("seq").limit(limit);
}

/** The newest `limit` entries, newest first (the Control Panel's audit page). */
export function recentAuditQuery(db: Kysely<StoreTables>, limit: number) {
  return db.selectFrom("audit").selectAll().orderBy("seq", "desc").limit(limit);
}

/** The `seq` and time of the oldest `limit` entries, oldest first (what retention looks at). */
export function oldestAuditQuery(db: Kysely<StoreTables>, limit: number) {
  return db.selectFrom("audit").select(["seq", "at"]).orderBy("seq").limit(limit);
}

/** The `seq` of the newest entry (no row on an empty log). */
export function newestAuditSeqQuery(db: Kysely<StoreTables>) {
  return db.selectFrom("audit").select("seq").orderBy("seq", "desc").limit(1);
}

/**
 * Removes the entries up to and including `seq`. Retention calls it only with the `seq` of an
 * entry among the oldest batch it read, so it removes at most that batch.
 */
export function deleteAuditThroughQuery(db: Kysely<StoreTables>, seq: number) {
  return db.deleteFrom("audit").where("seq", "<=", seq);
}
