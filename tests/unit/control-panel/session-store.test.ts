import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashToken } from "../../../store/tokens";
import { TopologyStore } from "../../../store/topology-store";
import type { StoreDatabase } from "../../../store/db/database";
import { openStoreDatabase } from "../../../store/db/database";
import type { SessionLimits } from "../../../store/control-panel/session-store";
import {
  LAST_SEEN_INTERVAL_MS,
  SessionStore,
  sessionIdHash,
} from "../../../store/control-panel/session-store";

// The session store over a real SQLite file (the store's own schema and migrations), with a
// clock the test moves.
describe("SessionStore", () => {
  let dir: string;
  let database: StoreDatabase;
  let now: number;
  const limits: SessionLimits = { idleMs: 10 * 60_000, maxAgeMs: 60 * 60_000, maxPerToken: 3 };
  const start = Date.parse("2026-12-01T08:00:00.000Z");

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-sessions-"));
    database = await openStoreDatabase(path.join(dir, "store.db"));
    now = start;
  });

  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sessionsOf = (given: SessionLimits = limits) => new SessionStore(database.db, given, () => now);
  const rows = () => database.db.selectFrom("sessions").selectAll().execute();

  it("finds a session by its id only, and keeps only the id's SHA-256 in the database", async () => {
    const sessions = sessionsOf();
    const { id, session } = await sessions.create("token-hash-a");
    expect(await sessions.tryFind(id)).toMatchObject({
      tokenHash: "token-hash-a",
      csrfToken: session.csrfToken,
    });
    expect(await sessions.tryFind(`${id}x`)).toBeUndefined();
    expect(await sessions.tryFind(undefined)).toBeUndefined();
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id_hash).toBe(sessionIdHash(id));
    expect(JSON.stringify(stored)).not.toContain(id);
  });

  it("ends a session after the idle time, and at its maximum age even when it is used", async () => {
    const sessions = sessionsOf();
    const idle = await sessions.create("a");
    const busy = await sessions.create("b");
    for (let minute = 5; minute < 60; minute += 5) {
      now = start + minute * 60_000;
      expect(await sessions.tryFind(busy.id)).toBeDefined();
      if (minute === 5) expect(await sessions.tryFind(idle.id)).toBeDefined();
    }
    // Last seen at minute 5, so ended 10 minutes later; the busy one ends at 60 minutes.
    expect(await sessions.tryFind(idle.id)).toBeUndefined();
    now = start + 60 * 60_000;
    expect(await sessions.tryFind(busy.id)).toBeUndefined();
    expect(await rows()).toHaveLength(0);
  });

  it("writes a session's last-seen time at most once a minute", async () => {
    const sessions = sessionsOf();
    const { id } = await sessions.create("a");
    const lastSeen = async () => (await rows())[0]?.last_seen_at;
    const created = await lastSeen();
    now = start + LAST_SEEN_INTERVAL_MS - 1;
    await sessions.tryFind(id);
    expect(await lastSeen()).toBe(created);
    now = start + LAST_SEEN_INTERVAL_MS;
    await sessions.tryFind(id);
    expect(await lastSeen()).toBe(new Date(now).toISOString());
  });

  it("caps the sessions of each token, ending that token's oldest, never another token's session", async () => {
    const sessions = sessionsOf();
    const admin = await sessions.create("admin-hash");
    const viewer: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      now += 1000;
      viewer.push((await sessions.create("viewer-hash")).id);
    }
    expect(await sessions.tryFind(admin.id)).toBeDefined();
    for (const [index, id] of viewer.entries()) {
      expect((await sessions.tryFind(id)) !== undefined).toBe(index >= 7);
    }
    const stored = await rows();
    expect(stored.filter((row) => row.token_hash === "viewer-hash")).toHaveLength(3);
    expect(stored.filter((row) => row.token_hash === "admin-hash")).toHaveLength(1);
  });

  it("purges expired sessions at a sign-in", async () => {
    const sessions = sessionsOf();
    await sessions.create("a");
    await sessions.create("b");
    now = start + limits.idleMs + 1;
    await sessions.create("c");
    expect((await rows()).map((row) => row.token_hash)).toEqual(["c"]);
  });

  it("keeps a message for the next page and clears it once shown, and ends a session at sign-out", async () => {
    const sessions = sessionsOf();
    const { id, session } = await sessions.create("a");
    await sessions.setFlash(session, { kind: "problem", text: "Select a provider first." });
    const found = await sessions.tryFind(id);
    expect(found?.flash).toEqual({ kind: "problem", text: "Select a provider first." });
    await sessions.clearFlash(session);
    expect((await sessions.tryFind(id))?.flash).toBeUndefined();
    await sessions.delete(id);
    expect(await sessions.tryFind(id)).toBeUndefined();
  });
});

describe("revoking a token", () => {
  it("deletes the token's sessions in the revoking transaction, and no other token's", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "imfed-sessions-"));
    const database = await openStoreDatabase(path.join(dir, "store.db"));
    try {
      const store = new TopologyStore(database);
      const context = { actor: "admin", via: "cli" as const, reason: null };
      const oncall = await store.createToken({ name: "oncall", role: "CsAdministrator" }, context);
      const other = await store.createToken({ name: "other", role: "CsAdministrator" }, context);
      const sessions = new SessionStore(database.db);
      const revoked = await sessions.create(hashToken(oncall.token));
      const kept = await sessions.create(hashToken(other.token));
      await store.deleteToken("oncall", context);
      const left = await database.db.selectFrom("sessions").select("id_hash").execute();
      expect(left.map((row) => row.id_hash)).toEqual([kept.session.idHash]);
      expect(await sessions.tryFind(revoked.id)).toBeUndefined();
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
