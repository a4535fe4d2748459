import type { ResourceKind, ValidationDetail } from "../core";
import { ImfedError, READ_ONLY_FIELDS, ValidationError, validationSummary } from "../core";
import { appendAuditEntry } from "./audit-log";
import type { DocumentRepository, StoredRecord } from "./db/document-repository";
import { uniqueValueKey } from "./db/document-keys";
import type { PutResult } from "./object-store";
import { cannotChangeInPlace, objectNotFound, objectWhat, uniqueKeyTaken } from "./object-messages";
import type { Preconditions } from "./preconditions";
import { checkPreconditions } from "./preconditions";
import type { WriteContext } from "./write-context";
import type { WriteRunner, WriteTransaction } from "./write-runner";
import { unchanged } from "./write-runner";

type Bag = Readonly<Record<string, unknown>>;

/**
 * The writes of objects of any kind, each checked in the contract's order of concern
 * (existence, preconditions, validation, conflicts) from the kind's definition, and run in one
 * transaction with its audit entry: nothing is written by a write that fails, and a write that
 * changes nothing takes no revision and writes no audit entry.
 */
export class ObjectWrites {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly writes: WriteRunner,
  ) {}

  /**
   * Creates the object of an id, or replaces it with the full settings of `body` (a field left
   * out takes its default; a singleton's object is always replaced). The body's identity
   * field, if given, must name the same object as `id` (ignoring ASCII case).
   */
  async put(
    kind: ResourceKind,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<PutResult<StoredRecord>> {
    return this.writes.run(context, async (trx, revision) => {
      const key = keyOrNotFound(kind, id);
      const current = key === undefined ? undefined : await this.documents.tryFind(trx, kind, key);
      const currentId = current === undefined ? id : kind.idOf(current);
      checkPreconditions(kind.describe(currentId), current, preconditions);

      const fields = writableFields(body);
      const details: ValidationDetail[] = [];
      const identity = kind.identityField;
      let name = currentId;
      if (identity !== undefined) {
        const given = fields[identity];
        if (given !== undefined && (typeof given !== "string" || kind.keyOf(given) !== key)) {
          details.push({
            path: identity,
            message: `must equal the ${identity} in the path ("${id}"), ignoring case`,
          });
        } else if (current === undefined && typeof given === "string") {
          name = given;
        }
        fields[identity] = name;
      }
      const parsed = kind.validate(fields);
      if (!parsed.ok) details.push(...parsed.details);
      if (details.length > 0 || !parsed.ok) throw invalid(objectWhat(kind, name), details);
      const next = parsed.value as Bag;

      if (current !== undefined && key !== undefined) {
        assertChangeable(kind, currentId, current, next);
        if (kind.changedFields(kind.specOf(current), next).length === 0)
          unchanged({ record: current, created: false });
        await this.#assertUniqueKeysFree(trx, kind, key, current, next);
        const record = await this.documents.update(trx, kind, key, current, next, revision, context);
        await appendAuditEntry(trx, context, "update", kind.auditTarget(currentId), current, record);
        return { record, created: false };
      }
      // A valid id names something: the check is for a kind whose identity field would let
      // through a value that folds to no key.
      if (key === undefined)
        throw invalid(objectWhat(kind, name), [{ path: identity ?? "", message: "names no object" }]);
      await this.#assertUniqueKeysFree(trx, kind, key, undefined, next);
      const record = await this.documents.insert(trx, kind, key, next, revision, context);
      await appendAuditEntry(trx, context, "create", kind.auditTarget(kind.idOf(record)), null, record);
      return { record, created: true };
    });
  }

  /**
   * Changes some fields of an object with a JSON merge patch (RFC 7396): a member sets the
   * field, `null` clears it (a field with a default goes back to it).
   */
  async patch(
    kind: ResourceKind,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<StoredRecord> {
    return this.writes.run(context, async (trx, revision) => {
      const key = keyOrNotFound(kind, id);
      const current = key === undefined ? undefined : await this.documents.tryFind(trx, kind, key);
      if (current === undefined || key === undefined) throw objectNotFound(kind, id);
      const currentId = kind.idOf(current);
      checkPreconditions(kind.describe(currentId), current, preconditions);

      const fields = writableFields(body);
      const details: ValidationDetail[] = [];
      const identity = kind.identityField;
      const merged = kind.mergePatch(kind.specOf(current), fields);
      if (identity !== undefined) {
        const given = fields[identity];
        if (given !== undefined && (typeof given !== "string" || kind.keyOf(given) !== key)) {
          details.push({
            path: identity,
            message: `must equal the ${kind.noun}'s ${identity} ("${currentId}"), ignoring case: a new ${identity} is a new ${kind.noun}`,
          });
        }
        merged[identity] = currentId;
      }
      const parsed = kind.validate(merged);
      if (!parsed.ok) details.push(...parsed.details);
      if (details.length > 0 || !parsed.ok) {
        const what = objectWhat(kind, currentId);
        throw invalid(kind.singletonId === undefined ? `change to ${what}` : what, details);
      }
      const next = parsed.value as Bag;

      assertChangeable(kind, currentId, current, next);
      if (kind.changedFields(kind.specOf(current), next).length === 0) unchanged(current);
      await this.#assertUniqueKeysFree(trx, kind, key, current, next);
      const record = await this.documents.update(trx, kind, key, current, next, revision, context);
      await appendAuditEntry(trx, context, "update", kind.auditTarget(currentId), current, record);
      return record;
    });
  }

  /** Removes an object (a built-in too, as Remove-CsPublicProvider allows); a singleton's cannot be removed. */
  async remove(
    kind: ResourceKind,
    id: string,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<void> {
    if (kind.singletonId !== undefined) {
      throw new ImfedError(
        "method_not_allowed",
        `${kind.describe()} cannot be deleted: the store always holds them; PUT their defaults instead`,
      );
    }
    await this.writes.run(context, async (trx) => {
      const key = kind.keyOf(id);
      const current = key === undefined ? undefined : await this.documents.tryFind(trx, kind, key);
      if (current === undefined || key === undefined) throw objectNotFound(kind, id);
      const currentId = kind.idOf(current);
      checkPreconditions(kind.describe(currentId), current, preconditions);
      await this.documents.remove(trx, kind, key);
      await appendAuditEntry(trx, context, "delete", kind.auditTarget(currentId), current, null);
    });
  }

  // The unique keys of `next` that changed from `current` (all of them on a create) must be
  // free: the check names the holder; the database's constraint on the keys holds the rule
  // under every concurrency all the same.
  async #assertUniqueKeysFree(
    trx: WriteTransaction,
    kind: ResourceKind,
    key: string,
    current: Bag | undefined,
    next: Bag,
  ): Promise<void> {
    for (const { field } of kind.definition.unique ?? []) {
      const valueKey = uniqueValueKey(kind, field, next[field]);
      if (valueKey === undefined) continue;
      if (current !== undefined && uniqueValueKey(kind, field, current[field]) === valueKey) continue;
      const holder = await this.documents.tryFindKeyHolder(trx, kind, { field, valueKey }, key);
      if (holder !== undefined) throw uniqueKeyTaken(kind, field, next[field], holder);
    }
  }
}

// The key of an id; a singleton's object is only ever named by its own id.
function keyOrNotFound(kind: ResourceKind, id: string): string | undefined {
  const key = kind.keyOf(id);
  if (key === undefined && kind.singletonId !== undefined) throw objectNotFound(kind, id);
  return key;
}

function assertChangeable(kind: ResourceKind, id: string, current: Bag, next: Bag): void {
  const fields = kind.fieldsThatCannotChange(kind.specOf(current), next);
  if (fields.length > 0) throw cannotChangeInPlace(kind, id, kind.variantOf(current), fields);
}

// Read-only fields in a written body are ignored (docs/api.md), so that an object read from the
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
  return new ValidationError(validationSummary(what, details), details);
}
