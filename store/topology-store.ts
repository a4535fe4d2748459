import type { CompiledQuery, Kysely, Selectable, Transaction } from "kysely";
import type {
  AuditAction,
  AuditEntry,
  AuditPage,
  ClientKind,
  CreatedToken,
  Decision,
  FederationRecord,
  FederationSettings,
  ProviderKind,
  ProviderRecord,
  ProviderSpec,
  Role,
  TokenRecord,
  ValidationDetail,
} from "../core";
import {
  imProviderKind,
  federationKind,
  ConflictError,
  FEDERATION_FIELDS,
  FEDERATION_ID,
  MAX_REASON_LENGTH,
  NotFoundError,
  PreconditionFailedError,
  READ_ONLY_FIELDS,
  ValidationError,
  changedProviderFields,
  decideIncomingRequest,
  fieldsThatCannotChange,
  incomingRequestSchema,
  isBuiltInProvider,
  mergeFederationPatch,
  mergeProviderPatch,
  parseOrThrow,
  providerNameKey,
  providerNameSchema,
  tokenNameKey,
  tokenNameSchema,
  tokenRequestSchema,
} from "../core";
import type { StoreDatabase } from "./db/database";
import { auditPageQuery, recentAuditQuery } from "./db/audit-queries";
import type { AuditTable, FederationTable, ProvidersTable, StoreTables } from "./db/schema";
import { generateToken, hashToken, sameTokenHash } from "./tokens";

/** Who makes a write, how and why: recorded on the object and in the audit log. */
export interface WriteContext {
  /** The token's name (`updatedBy`, the audit entry's `actor`). */
  readonly actor: string;
  /** How the write reached the store (`X-Imfed-Client`). */
  readonly via: ClientKind;
  /** Why (`X-Imfed-Reason`), or `null`. */
  readonly reason: string | null;
}

/**
 * The preconditions of a write. `ifMatch` holds the entity tags of `If-Match` (the revisions
 * as strings) or `"*"` (the object must exist); `ifNoneMatch: "*"` means it must not exist.
 */
export interface Preconditions {
  readonly ifMatch?: readonly string[] | "*";
  readonly ifNoneMatch?: "*";
}

/** The result of a PUT: the object as stored, and whether it was created. */
export interface PutResult<T> {
  readonly record: T;
  readonly created: boolean;
}

/** An authenticated caller: the token's name and role. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

/** A page request of the audit log. */
export interface AuditQuery {
  readonly after: number;
  readonly limit: number;
}

/** The name of the token made at bootstrap. */
export const BOOTSTRAP_TOKEN_NAME = "admin";

/**
 * A query compiled once and run with new parameters: building and compiling a kysely query
 * costs more than SQLite takes to answer it, on the hot path of every request.
 */
class ReusableQuery<Row> {
  constructor(private readonly compiled: CompiledQuery<Row>) {}

  with(...parameters: unknown[]): CompiledQuery<Row> {
    return { ...this.compiled, parameters };
  }
}

// Thrown inside a write transaction to roll it back when the write changes nothing: no
// revision is taken and no audit entry is written, and the caller gets the object as it is.
class Unchanged<T> {
  constructor(readonly value: T) {}
}

type Trx = Transaction<StoreTables>;

/**
 * The topology store: IM service providers, the federation settings, tokens and the audit
 * log, over SQLite or PostgreSQL. Every write runs in one transaction with its audit entry,
 * checks in the contract's order (existence, preconditions, validation, conflicts), and
 * writes nothing when it fails. The HTTP API, the Control Panel and the CLI all write through
 * this class, so they share one validation and audit path.
 */
export class TopologyStore {
  private readonly db: Kysely<StoreTables>;

  // The two reads on every API request (the token, then the object) are compiled once.
  private readonly tokenByHash: ReusableQuery<Pick<StoreTables["tokens"], "name" | "role" | "secret_hash">>;
  private readonly providerByKey: ReusableQuery<ProviderRow>;

  constructor(private readonly database: StoreDatabase) {
    this.db = database.db;
    this.tokenByHash = new ReusableQuery(
      this.db
        .selectFrom("tokens")
        .select(["name", "role", "secret_hash"])
        .where("secret_hash", "=", "")
        .compile(),
    );
    this.providerByKey = new ReusableQuery(
      this.db.selectFrom("providers").selectAll().where("name_key", "=", "").compile(),
    );
  }

  /** The database the store runs on. */
  get storeDatabase(): StoreDatabase {
    return this.database;
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.database.close();
  }

  // ---- providers --------------------------------------------------------------------------

  /** Every provider (of one kind, if given), sorted by name case-insensitively, then by code point. */
  async listProviders(kind?: ProviderKind): Promise<ProviderRecord[]> {
    let query = this.db.selectFrom("providers").selectAll();
    if (kind !== undefined) query = query.where("kind", "=", kind);
    const rows = await query.execute();
    return rows.map(providerRecordOf).sort(byProviderName);
  }

  /** The provider of that name (case-insensitive), or `undefined`. */
  async tryFindProvider(name: string): Promise<ProviderRecord | undefined> {
    const key = providerNameKey(name);
    if (!isStorableText(key)) return undefined;
    const row = (await this.db.executeQuery(this.providerByKey.with(key))).rows[0];
    return row === undefined ? undefined : providerRecordOf(row);
  }

  /** The provider of that name (case-insensitive); throws {@link NotFoundError} when there is none. */
  async findProvider(name: string): Promise<ProviderRecord> {
    const record = await this.tryFindProvider(name);
    if (record === undefined) throw providerNotFound(name);
    return record;
  }

  /**
   * Creates the provider named in the path, or replaces it with the full spec of `body`
   * (fields with defaults may be left out). If it throws, nothing was written.
   */
  async putProvider(
    pathName: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<PutResult<ProviderRecord>> {
    return this.write(context, async (trx, revision) => {
      const key = providerNameKey(pathName);
      const current = await selectProvider(trx, key);
      checkPreconditions(
        `provider "${current?.name ?? pathName}"`,
        current && providerRecordOf(current),
        preconditions,
      );

      const fields = writableFields(body);
      const details: ValidationDetail[] = [];
      const bodyName = fields.name;
      if (bodyName !== undefined && (typeof bodyName !== "string" || providerNameKey(bodyName) !== key)) {
        details.push({
          path: "name",
          message: `must equal the name in the path ("${pathName}"), ignoring case`,
        });
      }
      const name =
        current?.name ?? (typeof bodyName === "string" && details.length === 0 ? bodyName : pathName);
      const parsed = imProviderKind.validate({ ...fields, name });
      if (!parsed.ok) details.push(...parsed.details);
      if (details.length > 0 || !parsed.ok) throw invalid(`provider "${name}"`, details);
      const next = parsed.value;

      if (current !== undefined) {
        const before = providerRecordOf(current);
        assertChangeable(before, next);
        if (changedProviderFields(specOf(before), next).length === 0)
          throw new Unchanged({ record: before, created: false });
        await assertProxyFqdnFree(trx, next.proxyFqdn, key);
        const record = providerRecordOf(await updateProvider(trx, key, next, revision, context));
        await appendAudit(trx, context, "update", `provider/${record.name}`, before, record);
        return { record, created: false };
      }
      await assertProxyFqdnFree(trx, next.proxyFqdn, key);
      const row = await insertProvider(trx, next, revision, context);
      const record = providerRecordOf(row);
      await appendAudit(trx, context, "create", `provider/${record.name}`, null, record);
      return { record, created: true };
    });
  }

  /**
   * Changes some fields of a provider with a JSON merge patch (RFC 7396): a member sets the
   * field, `null` clears it (a field with a default goes back to it). If it throws, nothing was written.
   */
  async patchProvider(
    name: string,
    patch: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<ProviderRecord> {
    return this.write(context, async (trx, revision) => {
      const key = providerNameKey(name);
      const current = await selectProvider(trx, key);
      if (current === undefined) throw providerNotFound(name);
      const before = providerRecordOf(current);
      checkPreconditions(`provider "${before.name}"`, before, preconditions);

      const fields = writableFields(patch);
      const details: ValidationDetail[] = [];
      if (
        fields.name !== undefined &&
        (typeof fields.name !== "string" || providerNameKey(fields.name) !== key)
      ) {
        details.push({
          path: "name",
          message: `must equal the provider's name ("${before.name}"), ignoring case: a new name is a new provider`,
        });
      }
      const merged = { ...mergeProviderPatch(specOf(before), fields), name: before.name };
      const parsed = imProviderKind.validate(merged);
      if (!parsed.ok) details.push(...parsed.details);
      if (details.length > 0 || !parsed.ok) throw invalid(`change to provider "${before.name}"`, details);
      const next = parsed.value;

      assertChangeable(before, next);
      if (changedProviderFields(specOf(before), next).length === 0) throw new Unchanged(before);
      const record = providerRecordOf(await updateProvider(trx, key, next, revision, context));
      await appendAudit(trx, context, "update", `provider/${record.name}`, before, record);
      return record;
    });
  }

  /** Removes a provider, a built-in too (as Remove-CsPublicProvider allows). If it throws, nothing was removed. */
  async deleteProvider(name: string, preconditions: Preconditions, context: WriteContext): Promise<void> {
    await this.write(context, async (trx) => {
      const key = providerNameKey(name);
      const current = await selectProvider(trx, key);
      if (current === undefined) throw providerNotFound(name);
      const before = providerRecordOf(current);
      checkPreconditions(`provider "${before.name}"`, before, preconditions);
      await trx.deleteFrom("providers").where("name_key", "=", key).execute();
      await appendAudit(trx, context, "delete", `provider/${before.name}`, before, null);
    });
  }

  // ---- federation -------------------------------------------------------------------------

  /** The organization's federation settings. */
  async getFederation(): Promise<FederationRecord> {
    return federationRecordOf(await selectFederation(this.db));
  }

  /** Replaces the federation settings (fields left out take their defaults). If it throws, nothing was written. */
  async putFederation(
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<FederationRecord> {
    return this.writeFederation(preconditions, context, () => writableFields(body));
  }

  /** Changes some federation settings with a JSON merge patch; `null` restores a default. If it throws, nothing was written. */
  async patchFederation(
    patch: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<FederationRecord> {
    return this.writeFederation(preconditions, context, (current) =>
      mergeFederationPatch(current, writableFields(patch)),
    );
  }

  private async writeFederation(
    preconditions: Preconditions,
    context: WriteContext,
    nextFields: (current: FederationSettings) => Record<string, unknown>,
  ): Promise<FederationRecord> {
    return this.write(context, async (trx, revision) => {
      const before = federationRecordOf(await selectFederation(trx));
      checkPreconditions("the federation settings", before, preconditions);
      const current = federationSettingsOf(before);
      const next = federationKind.parse(nextFields(current), "federation settings");
      if (FEDERATION_FIELDS.every((field) => current[field] === next[field])) throw new Unchanged(before);
      const row = await trx
        .updateTable("federation")
        .set({ ...federationColumns(next), ...lastWriteColumns(revision, context) })
        .where("id", "=", FEDERATION_ID)
        .returningAll()
        .executeTakeFirstOrThrow();
      const record = federationRecordOf(row);
      await appendAudit(trx, context, "update", "federation", before, record);
      return record;
    });
  }

  // ---- decisions ---------------------------------------------------------------------------

  /** Decides an incoming request by the store's current settings; an unknown provider is a rejection, not an error. */
  async evaluate(body: unknown): Promise<Decision> {
    const request = parseOrThrow(incomingRequestSchema, body, "request");
    const [federation, provider] = await Promise.all([
      this.getFederation(),
      this.tryFindProvider(request.provider),
    ]);
    return decideIncomingRequest(request, { federationEnabled: federation.enabled, provider });
  }

  // ---- audit log ----------------------------------------------------------------------------

  /** A page of the audit log, oldest first: the entries after `after`, at most `limit`. */
  async listAudit(query: AuditQuery): Promise<AuditPage> {
    const rows = await auditPageQuery(this.db, query.after, query.limit).execute();
    const items = rows.map(auditEntryOf);
    return { items, next: items.at(-1)?.seq ?? query.after };
  }

  /**
   * The most recent entries of the audit log, oldest first, at most `limit`: one read of the
   * newest entries by the primary key, however long the log is.
   */
  async listRecentAudit(limit: number): Promise<AuditEntry[]> {
    const rows = await recentAuditQuery(this.db, limit).execute();
    return rows.map(auditEntryOf).reverse();
  }

  // ---- tokens ---------------------------------------------------------------------------------

  /** Tells who a token belongs to, or `undefined` for a token the store does not know. */
  async authenticate(secret: string): Promise<Principal | undefined> {
    return this.authenticateHash(hashToken(secret));
  }

  /**
   * Tells who the token of a SHA-256 hash belongs to, so that a caller that must check a token
   * again later (a Control Panel session) keeps only its hash, never the secret.
   */
  async authenticateHash(hash: string): Promise<Principal | undefined> {
    const row = (await this.db.executeQuery(this.tokenByHash.with(hash))).rows[0];
    if (row === undefined || !sameTokenHash(row.secret_hash, hash)) return undefined;
    return { name: row.name, role: row.role as Role };
  }

  /** Creates a token; the result holds its secret, which the store never shows again. If it throws, nothing was written. */
  async createToken(body: unknown, context: WriteContext): Promise<CreatedToken> {
    const request = parseOrThrow(tokenRequestSchema, body, "token");
    return this.insertToken(request.name, request.role, generateToken(), context);
  }

  /**
   * Makes the bootstrap administrator token (named `admin`) on a store that has no token yet,
   * with the given secret or a new one; returns `undefined` when the store already has tokens.
   */
  async bootstrapAdminToken(secret: string | undefined): Promise<CreatedToken | undefined> {
    const context: WriteContext = { actor: "system", via: "cli", reason: "bootstrap administrator token" };
    try {
      return await this.write(context, async (trx) => {
        const existing = await trx.selectFrom("tokens").select("name").limit(1).executeTakeFirst();
        if (existing !== undefined) throw new Unchanged(undefined);
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
  async insertToken(name: string, role: Role, secret: string, context: WriteContext): Promise<CreatedToken> {
    return this.write(context, (trx) => insertTokenRow(trx, name, role, secret, context));
  }

  /** Every token, without secrets, sorted by name. */
  async listTokens(): Promise<TokenRecord[]> {
    const rows = await this.db
      .selectFrom("tokens")
      .select(["name", "role", "created_at"])
      .orderBy("name_key")
      .execute();
    return rows.map(tokenRecordOf);
  }

  /** Revokes a token: it stops working at once. If it throws, nothing was removed. */
  async deleteToken(name: string, context: WriteContext): Promise<void> {
    await this.write(context, async (trx) => {
      const key = tokenNameKey(name);
      const row = !isStorableText(key)
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
      await appendAudit(trx, context, "delete", `token/${row.name}`, tokenRecordOf(row), null);
    });
  }

  // ---- transactions -------------------------------------------------------------------------

  /**
   * Runs a write in one transaction. The first statement takes the next store-wide revision,
   * which also takes the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the counter row's
   * lock), so that writes are serialized and every read inside sees the latest commit.
   */
  private async write<T>(
    context: WriteContext,
    body: (trx: Trx, revision: number) => Promise<T>,
  ): Promise<T> {
    // The API checks the reason at its header too; every writer is held to it here.
    const problems = reasonProblems(context.reason);
    if (problems.length > 0)
      throw new ValidationError(
        `the reason ${problems.map((problem) => problem.message).join(" and ")}`,
        problems,
      );
    try {
      return await this.db.transaction().execute(async (trx) => body(trx, await takeRevision(trx)));
    } catch (error) {
      if (error instanceof Unchanged) return error.value as T;
      throw translateDatabaseError(error);
    }
  }
}

/**
 * What is wrong with a write's reason, at the path `reason` (none when it is fit): at most
 * {@link MAX_REASON_LENGTH} characters, and no U+0000, which PostgreSQL's text cannot hold
 * (SQLSTATE 22021), so neither backend takes it. Every write checks it; a form may check it
 * first to show it with the form's other errors.
 */
export function reasonProblems(reason: string | null): ValidationDetail[] {
  if (reason === null) return [];
  const problems: ValidationDetail[] = [];
  if ([...reason].length > MAX_REASON_LENGTH)
    problems.push({ path: "reason", message: `must be at most ${MAX_REASON_LENGTH} characters` });
  if (reason.includes("\u0000"))
    problems.push({ path: "reason", message: "must not contain the NUL character (U+0000)" });
  return problems;
}

// ---- rows and records ---------------------------------------------------------------------------

type ProviderRow = ProvidersTable;

function providerRecordOf(row: ProviderRow): ProviderRecord {
  const common = {
    name: row.name,
    kind: row.kind as ProviderKind,
    proxyFqdn: row.proxy_fqdn,
    enabled: row.enabled === 1,
    verificationLevel: row.verification_level as ProviderRecord["verificationLevel"],
  };
  const extras = {
    builtIn: false,
    revision: Number(row.revision),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    updatedVia: row.updated_via as ClientKind,
    updateReason: row.update_reason,
  };
  if (row.kind === "hosted") {
    return {
      ...common,
      kind: "hosted",
      enabledSharedAddressSpace: row.enabled_shared_address_space === 1,
      hostsOcsUsers: row.hosts_ocs_users === 1,
      isLocal: row.is_local === 1,
      autodiscoverUrl: row.autodiscover_url,
      ...extras,
    };
  }
  return { ...common, kind: "public", ...extras, builtIn: isBuiltInProvider(common) };
}

/** The settings part of a provider record, as {@link providerSpecSchema} parses them. */
export function specOf(record: ProviderRecord): ProviderSpec {
  return imProviderKind.specOf(record);
}

function providerColumns(spec: ProviderSpec) {
  const hosted = spec.kind === "hosted" ? spec : undefined;
  return {
    name: spec.name,
    kind: spec.kind,
    proxy_fqdn: spec.proxyFqdn,
    enabled: spec.enabled ? 1 : 0,
    verification_level: spec.verificationLevel,
    enabled_shared_address_space: hosted ? Number(hosted.enabledSharedAddressSpace) : null,
    hosts_ocs_users: hosted ? Number(hosted.hostsOcsUsers) : null,
    is_local: hosted ? Number(hosted.isLocal) : null,
    autodiscover_url: hosted?.autodiscoverUrl ?? null,
  };
}

function lastWriteColumns(revision: number, context: WriteContext) {
  return {
    revision,
    updated_at: new Date().toISOString(),
    updated_by: context.actor,
    updated_via: context.via,
    update_reason: context.reason,
  };
}

function byProviderName(a: ProviderRecord, b: ProviderRecord): number {
  const left = providerNameKey(a.name);
  const right = providerNameKey(b.name);
  if (left !== right) return left < right ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function federationRecordOf(row: FederationTable): FederationRecord {
  return {
    enabled: row.enabled === 1,
    partnerDiscovery: row.partner_discovery === 1,
    archivingDisclaimer: row.archiving_disclaimer === 1,
    remoteUserAccess: row.remote_user_access === 1,
    anonymousUserAccess: row.anonymous_user_access === 1,
    revision: Number(row.revision),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    updatedVia: row.updated_via as ClientKind,
    updateReason: row.update_reason,
  };
}

function federationSettingsOf(record: FederationRecord): FederationSettings {
  return Object.fromEntries(FEDERATION_FIELDS.map((field) => [field, record[field]])) as FederationSettings;
}

function federationColumns(settings: FederationSettings) {
  return {
    enabled: Number(settings.enabled),
    partner_discovery: Number(settings.partnerDiscovery),
    archiving_disclaimer: Number(settings.archivingDisclaimer),
    remote_user_access: Number(settings.remoteUserAccess),
    anonymous_user_access: Number(settings.anonymousUserAccess),
  };
}

function tokenRecordOf(row: { name: string; role: string; created_at: string }): TokenRecord {
  return { name: row.name, role: row.role as Role, createdAt: row.created_at };
}

function auditEntryOf(row: Selectable<AuditTable>): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    via: row.via as ClientKind,
    action: row.action as AuditAction,
    target: row.target,
    before: parseSnapshot(row.before),
    after: parseSnapshot(row.after),
    reason: row.reason,
  };
}

function parseSnapshot(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

// ---- statements ---------------------------------------------------------------------------------

async function takeRevision(trx: Trx): Promise<number> {
  const row = await trx
    .updateTable("counters")
    .set((eb) => ({ value: eb("value", "+", 1) }))
    .where("name", "=", "revision")
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

function selectProvider(trx: Trx, key: string): Promise<ProviderRow | undefined> {
  if (!isStorableText(key)) return Promise.resolve(undefined);
  return trx.selectFrom("providers").selectAll().where("name_key", "=", key).executeTakeFirst();
}

// PostgreSQL's text cannot hold U+0000 (a query with one fails with SQLSTATE 22021), while SQLite's
// can. No stored name holds one (names are validated), so a key that does names nothing, on
// both backends alike, and is not sent to the database.
function isStorableText(text: string): boolean {
  return !text.includes("\u0000");
}

function selectFederation(db: Kysely<StoreTables>): Promise<FederationTable> {
  return db.selectFrom("federation").selectAll().where("id", "=", FEDERATION_ID).executeTakeFirstOrThrow();
}

function insertProvider(
  trx: Trx,
  spec: ProviderSpec,
  revision: number,
  context: WriteContext,
): Promise<ProviderRow> {
  const lastWrite = lastWriteColumns(revision, context);
  return trx
    .insertInto("providers")
    .values({
      name_key: providerNameKey(spec.name),
      ...providerColumns(spec),
      ...lastWrite,
      created_at: lastWrite.updated_at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function updateProvider(
  trx: Trx,
  key: string,
  spec: ProviderSpec,
  revision: number,
  context: WriteContext,
): Promise<ProviderRow> {
  return trx
    .updateTable("providers")
    .set({ ...providerColumns(spec), ...lastWriteColumns(revision, context) })
    .where("name_key", "=", key)
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function insertTokenRow(
  trx: Trx,
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
  await appendAudit(trx, context, "create", `token/${checkedName}`, null, record);
  return { ...record, token: secret };
}

async function appendAudit(
  trx: Trx,
  context: WriteContext,
  action: AuditAction,
  target: string,
  before: object | null,
  after: object | null,
): Promise<void> {
  await trx
    .insertInto("audit")
    .values({
      at: new Date().toISOString(),
      actor: context.actor,
      via: context.via,
      action,
      target,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      reason: context.reason,
    })
    .execute();
}

// ---- rules --------------------------------------------------------------------------------------

// Read-only fields in a written body are ignored (DESIGN.md), so that an object read from the
// store can be written back as it is.
function writableFields(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError("the body must be a JSON object", [
      { path: "", message: "must be a JSON object" },
    ]);
  }
  const fields: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of READ_ONLY_FIELDS) delete fields[field];
  return fields;
}

function invalid(what: string, details: readonly ValidationDetail[]): ValidationError {
  const first = details[0];
  const summary = first === undefined ? "" : `: ${first.path === "" ? "" : `${first.path} `}${first.message}`;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : "";
  return new ValidationError(`invalid ${what}${summary}${more}`, details);
}

function providerNotFound(name: string): NotFoundError {
  const shown = providerNameSchema.safeParse(name).success ? name : JSON.stringify(name).slice(1, -1);
  return new NotFoundError(
    `provider "${shown}" not found; the list of providers shows the names in the store`,
  );
}

function checkPreconditions(
  what: string,
  current:
    | (object & {
        revision: number;
        updatedBy: string;
        updatedAt: string;
        updatedVia: string;
        updateReason: string | null;
      })
    | undefined,
  preconditions: Preconditions,
): void {
  if (preconditions.ifNoneMatch === "*" && current !== undefined) {
    throw new PreconditionFailedError(
      `${what} already exists (revision ${current.revision}); the write was only to create it`,
    );
  }
  const ifMatch = preconditions.ifMatch;
  if (ifMatch === undefined) return;
  if (current === undefined) {
    throw new PreconditionFailedError(
      `${what} does not exist, so If-Match cannot hold; it may have been deleted`,
    );
  }
  if (ifMatch === "*" || ifMatch.includes(String(current.revision))) return;
  const reason = current.updateReason === null ? "" : ` ("${current.updateReason}")`;
  const expected =
    ifMatch.length === 0
      ? "the revision given (If-Match named no strong entity tag)"
      : `revision ${ifMatch.join(", ")}`;
  throw new PreconditionFailedError(
    `${what} changed since ${expected}: it is at revision ${current.revision}, written by ${current.updatedBy} at ${current.updatedAt} via ${current.updatedVia}${reason}; read it again and retry`,
  );
}

function assertChangeable(before: ProviderRecord, next: ProviderSpec): void {
  const fields = fieldsThatCannotChange(specOf(before), next);
  if (fields.length === 0) return;
  const rule =
    before.kind === "public"
      ? "a public provider changes in place only in enabled and verificationLevel"
      : "a hosted provider cannot change its name, kind or proxyFqdn";
  throw new ConflictError(
    `provider "${before.name}" cannot change ${fields.join(", ")} in place (${rule}); delete it and create it again`,
    fields.map((field) => ({ path: field, message: "cannot change in place" })),
  );
}

async function assertProxyFqdnFree(trx: Trx, proxyFqdn: string, ownKey: string): Promise<void> {
  const holder = await trx
    .selectFrom("providers")
    .select(["name", "kind"])
    .where("proxy_fqdn", "=", proxyFqdn)
    .where("name_key", "<>", ownKey)
    .executeTakeFirst();
  if (holder !== undefined) {
    throw new ConflictError(
      `proxyFqdn "${proxyFqdn}" is already the Access Edge of provider "${holder.name}" (${holder.kind})`,
      [{ path: "proxyFqdn", message: `is used by provider "${holder.name}"` }],
    );
  }
}

// A unique index can still refuse a write that the checks above let through (another process
// on the same database); that is a conflict, not a server error.
function translateDatabaseError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505") {
    return new ConflictError(
      "the write conflicts with an object written at the same time; read it again and retry",
    );
  }
  return error;
}
