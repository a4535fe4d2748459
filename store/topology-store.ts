import type { Kysely } from "kysely";
import type {
  AuditEntry,
  AuditPage,
  CreatedToken,
  Decision,
  KindDefinition,
  RecordOf,
  ResourceKind,
  Role,
  TokenRecord,
} from "../core";
import type { AuditQuery } from "./audit-log";
import { AuditLog } from "./audit-log";
import type { StoreDatabase } from "./db/database";
import { DocumentRepository } from "./db/document-repository";
import type { StoreTables } from "./db/schema";
import { evaluateIncomingRequest } from "./evaluation";
import { objectNotFound } from "./object-messages";
import type { ObjectStore, PutResult } from "./object-store";
import { ObjectWrites } from "./object-writes";
import type { Preconditions } from "./preconditions";
import type { Principal } from "./token-registry";
import { TokenRegistry } from "./token-registry";
import type { WriteContext } from "./write-context";
import { WriteRunner } from "./write-runner";

// The Control Panel imports these from here; they live in the files named.
export type { WriteContext } from "./write-context";
export { reasonProblems } from "./write-context";
export type { Preconditions } from "./preconditions";
export type { PutResult } from "./object-store";
export type { Principal } from "./token-registry";

/**
 * The topology store: the objects of every resource kind (IM service providers, the federation
 * settings, ...), tokens and the audit log, over SQLite or PostgreSQL. The HTTP API, the
 * Control Panel and the CLI all go through this class, so they share one validation, one
 * write path and one audit log; each part lives in its own file (the documents, the writes'
 * rules, the transaction runner, the audit log, the tokens).
 */
export class TopologyStore implements ObjectStore {
  readonly #db: Kysely<StoreTables>;
  readonly #documents: DocumentRepository;
  readonly #writes: ObjectWrites;
  readonly #audit: AuditLog;
  readonly #tokens: TokenRegistry;

  constructor(private readonly database: StoreDatabase) {
    this.#db = database.db;
    const runner = new WriteRunner(this.#db);
    this.#documents = new DocumentRepository(this.#db);
    this.#writes = new ObjectWrites(this.#documents, runner);
    this.#audit = new AuditLog(this.#db);
    this.#tokens = new TokenRegistry(this.#db, runner);
  }

  /** The database the store runs on. */
  get storeDatabase(): StoreDatabase {
    return this.database;
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.database.close();
  }

  // ---- objects of every kind ------------------------------------------------------------------

  /** Every object of a kind, sorted by id (ASCII case ignored, then code point); `filter` keeps those with these field values. */
  async list<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    filter: Readonly<Record<string, string>> = {},
  ): Promise<RecordOf<D>[]> {
    const records = await this.#documents.list(this.#db, kind as ResourceKind);
    const conditions = Object.entries(filter);
    const kept =
      conditions.length === 0
        ? records
        : records.filter((record) => conditions.every(([field, value]) => record[field] === value));
    return kept as unknown as RecordOf<D>[];
  }

  /** The objects of some ids (ASCII case ignored) that exist, in one read, sorted by id; an id that names nothing is left out. */
  async findMany<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    ids: readonly string[],
  ): Promise<RecordOf<D>[]> {
    const keys = ids.map((id) => kind.keyOf(id)).filter((key): key is string => key !== undefined);
    return (await this.#documents.findMany(this.#db, kind as ResourceKind, keys)) as unknown as RecordOf<D>[];
  }

  /** The object of an id (ASCII case ignored), or `undefined`. */
  async tryFind<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
  ): Promise<RecordOf<D> | undefined> {
    const key = kind.keyOf(id);
    if (key === undefined) return undefined;
    return (await this.#documents.tryFind(this.#db, kind as ResourceKind, key)) as RecordOf<D> | undefined;
  }

  /** The object of an id; throws `NotFoundError` when there is none. */
  async find<const D extends KindDefinition>(kind: ResourceKind<D>, id: string): Promise<RecordOf<D>> {
    const record = await this.tryFind(kind, id);
    if (record === undefined) throw objectNotFound(kind as ResourceKind, id);
    return record;
  }

  /** Creates the object of an id or replaces it with the full settings of `body`. If it throws, nothing was written. */
  async put<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<PutResult<RecordOf<D>>> {
    const result = await this.#writes.put(kind as ResourceKind, id, body, preconditions, context);
    return result as unknown as PutResult<RecordOf<D>>;
  }

  /** Changes some fields with a JSON merge patch (RFC 7396). If it throws, nothing was written. */
  async patch<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<RecordOf<D>> {
    return (await this.#writes.patch(kind as ResourceKind, id, body, preconditions, context)) as RecordOf<D>;
  }

  /** Removes an object (a built-in too); a singleton's cannot be. If it throws, nothing was removed. */
  async remove<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<void> {
    await this.#writes.remove(kind as ResourceKind, id, preconditions, context);
  }

  // ---- decisions ------------------------------------------------------------------------------

  /** Decides an incoming request by the store's current settings; an unknown provider is a rejection, not an error. */
  evaluate(body: unknown): Promise<Decision> {
    return evaluateIncomingRequest(this, body);
  }

  // ---- audit log ------------------------------------------------------------------------------

  /** A page of the audit log, oldest first: the entries after `after`, at most `limit`. */
  listAudit(query: AuditQuery): Promise<AuditPage> {
    return this.#audit.page(query);
  }

  /** The most recent entries of the audit log, oldest first, at most `limit`. */
  listRecentAudit(limit: number): Promise<AuditEntry[]> {
    return this.#audit.recent(limit);
  }

  // ---- tokens ---------------------------------------------------------------------------------

  /** Tells who a token belongs to, or `undefined` for a token the store does not know. */
  authenticate(secret: string): Promise<Principal | undefined> {
    return this.#tokens.authenticate(secret);
  }

  /** Tells who the token of a SHA-256 hash belongs to (a Control Panel session keeps only the hash). */
  authenticateHash(hash: string): Promise<Principal | undefined> {
    return this.#tokens.authenticateHash(hash);
  }

  /** Creates a token; the result holds its secret, which the store never shows again. If it throws, nothing was written. */
  createToken(body: unknown, context: WriteContext): Promise<CreatedToken> {
    return this.#tokens.create(body, context);
  }

  /** Makes the bootstrap administrator token on a store that has none; `undefined` when it has tokens. */
  bootstrapAdminToken(secret: string | undefined): Promise<CreatedToken | undefined> {
    return this.#tokens.bootstrap(secret);
  }

  /** Creates a token with a given secret (for `imfed token create --db`). If it throws, nothing was written. */
  insertToken(name: string, role: Role, secret: string, context: WriteContext): Promise<CreatedToken> {
    return this.#tokens.insert(name, role, secret, context);
  }

  /** Every token, without secrets, sorted by name. */
  listTokens(): Promise<TokenRecord[]> {
    return this.#tokens.list();
  }

  /** Revokes a token: it stops working at once. If it throws, nothing was removed. */
  deleteToken(name: string, context: WriteContext): Promise<void> {
    return this.#tokens.revoke(name, context);
  }
}
