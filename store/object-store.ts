import type { KindDefinition, RecordOf, ResourceKind } from "../core";
import type { Preconditions } from "./preconditions";
import type { WriteContext } from "./write-context";

/**
 * The most ids one batch read names (`GET /v1/<path>?<identity>=a&<identity>=b`): enough for
 * the concurrent reads of a refresh to take few requests, and a bound on one query's work and
 * on the URL (50 names of 64 characters, each percent-encoded at worst to three times its
 * length, stay under 10 KB, within Node's 16 KB limit of a request's head).
 */
export const MAX_BATCH_IDS = 50;

/** The result of a PUT: the object as stored, and whether it was created. */
export interface PutResult<T> {
  readonly record: T;
  readonly created: boolean;
}

/**
 * The objects of every resource kind, as the store serves them to its HTTP API and its Control
 * Panel: one set of methods for any kind, read from the kind's definition. A singleton kind's
 * object is addressed by its id (`kind.singletonId`). Every write checks, in the contract's
 * order, existence, preconditions, validation and conflicts, runs in one transaction with its
 * audit entry, and writes nothing when it fails.
 */
export interface ObjectStore {
  /** Every object of a kind, sorted by id (ASCII case ignored, then code point); `filter` narrows by field values (the discriminator). */
  list<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    filter?: Readonly<Record<string, string>>,
  ): Promise<RecordOf<D>[]>;
  /**
   * The objects of some ids (ASCII case ignored) that exist, in one read, sorted by id; an id
   * that names nothing is left out. At most {@link MAX_BATCH_IDS} ids.
   */
  findMany<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    ids: readonly string[],
  ): Promise<RecordOf<D>[]>;
  /** The object of an id (ASCII case ignored), or `undefined`. */
  tryFind<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
  ): Promise<RecordOf<D> | undefined>;
  /** The object of an id; throws `NotFoundError` when there is none. */
  find<const D extends KindDefinition>(kind: ResourceKind<D>, id: string): Promise<RecordOf<D>>;
  /** Creates the object of an id or replaces it with the full settings of `body`. If it throws, nothing was written. */
  put<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<PutResult<RecordOf<D>>>;
  /** Changes some fields with a JSON merge patch (RFC 7396). If it throws, nothing was written. */
  patch<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<RecordOf<D>>;
  /** Removes an object (a built-in too); a singleton's cannot be (405). If it throws, nothing was removed. */
  remove<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<void>;
}
