import type { Kysely } from "kysely";
import type { CreatedToken, Role, TokenRecord } from "../core";
import {
  ConflictError,
  NotFoundError,
  parseOrThrow,
  tokenNameKey,
  tokenNameSchema,
  tokenRequestSchema,
} from "../core";
import { appendAuditEntry } from "./audit-log";
import { ReusableQuery } from "./db/reusable-query";
import type { StoreTables } from "./db/schema";
import { generateToken, hashToken, sameTokenHash } from "./tokens";
import type { WriteContext } from "./write-context";
import type { WriteRunner } from "./write-runner";
import { unchanged } from "./write-runner";

/** An authenticated caller: the token's name and role. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

/** The name of the token made at bootstrap. */
export const BOOTSTRAP_TOKEN_NAME = "admin";

/**
 * The store's API tokens: only the SHA-256 of a secret is kept, a presented token is checked
 * by its hash in constant time, and every change is audited (never with the secret). Revoking
 * a token ends its Control Panel sessions in the same transaction.
 */
export class TokenRegistry {
  // The read of every API request, compiled once.
  readonly #byHash: ReusableQuery<Pick<StoreTables["tokens"], "name" | "role" | "secret_hash">>;

  constructor(
    private readonly db: Kysely<StoreTables>,
    private readonly writes: WriteRunner,
  ) {
    this.#byHash = new ReusableQuery(
      db.selectFrom("tokens").select(["name", "role", "secret_hash"]).where("secret_hash", "=", "").compile(),
    );
  }

  /** Tells who a token belongs to, or `undefined` for a token the store does not know. */
  async authenticate(secret: string): Promise<Principal | undefined> {
    return this.authenticateHash(hashToken(secret));
  }

  /**
   * Tells who the token of a SHA-256 hash belongs to, so that a caller that must check a token
   * again later (a Control Panel session) keeps only its hash, never the secret.
   */
  async authenticateHash(hash: string): Promise<Principal | undefined> {
    const row = (await this.db.executeQuery(this.#byHash.with(hash))).rows[0];
    if (row === undefined || !sameTokenHash(row.secret_hash, hash)) return undefined;
    return { name: row.name, role: row.role as Role };
  }

  /** Creates a token from a request body; the result holds its secret, shown this once. If it throws, nothing was written. */
  async create(body: unknown, context: WriteContext): Promise<CreatedToken> {
    const request = parseOrThrow(tokenRequestSchema, body, "token");
    return this.insert(request.name, request.role, generateToken(), context);
  }

  /**
   * Makes the bootstrap administrator token (named `admin`) on a store that has no token yet,
   * with the given secret or a new one; returns `undefined` when the store already has tokens.
   */
  async bootstrap(secret: string | undefined): Promise<CreatedToken | undefined> {
    const context: WriteContext = { actor: "system", via: "cli", reason: "bootstrap administrator token" };
    try {
      return await this.writes.run(context, async (trx) => {
        const existing = await trx.selectFrom("tokens").select("name").limit(1).executeTakeFirst();
        if (existing !== undefined) unchanged(undefined);
        return insertTokenRow(
          trx,
          BOOTSTRAP_TOKEN_NAME,
          "CsAdministrator",
          secret ?? generateToken(),
          context,
        );
      });
    } catch (error) {
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
  }

  /** Creates a token with a given secret (for `imfed token create --db`). If it throws, nothing was written. */
  async insert(name: string, role: Role, secret: string, context: WriteContext): Promise<CreatedToken> {
    return this.writes.run(context, (trx) => insertTokenRow(trx, name, role, secret, context));
  }

  /** Every token, without secrets, sorted by name. */
  async list(): Promise<TokenRecord[]> {
    const rows = await this.db
      .selectFrom("tokens")
      .select(["name", "role", "created_at"])
      .orderBy("name_key")
      .execute();
    return rows.map(tokenRecordOf);
  }

  /** Revokes a token: it stops working at once, and its sessions end. If it throws, nothing was removed. */
  async revoke(name: string, context: WriteContext): Promise<void> {
    await this.writes.run(context, async (trx) => {
      const key = tokenNameKey(name);
      // PostgreSQL's text cannot hold U+0000 (SQLSTATE 22021) and no token name holds one, so
      // such a key names nothing, on both backends alike, and is not sent to the database.
      const row = key.includes("\u0000")
        ? undefined
        : await trx
            .selectFrom("tokens")
            .select(["name", "role", "created_at", "secret_hash"])
            .where("name_key", "=", key)
            .executeTakeFirst();
      if (row === undefined)
        throw new NotFoundError(`token "${name}" not found; "imfed token list" shows the tokens`);
      await trx.deleteFrom("tokens").where("name_key", "=", key).execute();
      // The token's Control Panel sessions end with it, in the same transaction.
      await trx.deleteFrom("sessions").where("token_hash", "=", row.secret_hash).execute();
      await appendAuditEntry(trx, context, "delete", `token/${row.name}`, tokenRecordOf(row), null);
    });
  }
}

async function insertTokenRow(
  trx: Kysely<StoreTables>,
  name: string,
  role: Role,
  secret: string,
  context: WriteContext,
): Promise<CreatedToken> {
  const checkedName = parseOrThrow(tokenNameSchema, name, "token name");
  const key = tokenNameKey(checkedName);
  const taken = await trx.selectFrom("tokens").select("name").where("name_key", "=", key).executeTakeFirst();
  if (taken !== undefined) {
    throw new ConflictError(
      `a token named "${taken.name}" already exists; revoke it first or choose another name`,
    );
  }
  const createdAt = new Date().toISOString();
  await trx
    .insertInto("tokens")
    .values({ name_key: key, name: checkedName, role, secret_hash: hashToken(secret), created_at: createdAt })
    .execute();
  const record: TokenRecord = { name: checkedName, role, createdAt };
  await appendAuditEntry(trx, context, "create", `token/${checkedName}`, null, record);
  return { ...record, token: secret };
}

function tokenRecordOf(row: { name: string; role: string; created_at: string }): TokenRecord {
  return { name: row.name, role: row.role as Role, createdAt: row.created_at };
}
