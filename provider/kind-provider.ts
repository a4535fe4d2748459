import type { KindDefinition, RecordOf, ResourceKind, SpecOf } from "../core";
import { ConflictError, NotFoundError, PreconditionFailedError } from "../core";
import type { KindClient, WriteOptions } from "../client";
import { ChangedOutsideOfCodeError } from "./changed-outside-error";
import type { StoreConnection } from "./connection";
import {
  ADOPT,
  anyKind,
  checkInputs,
  diffInputs,
  inputsOfRecord,
  outputsOfRecord,
  specOfInputs,
} from "./kind-inputs";
import { ProviderReader } from "./provider-reader";
import type { CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult } from "./results";

type Bag = Readonly<Record<string, unknown>>;
type AnyRecord = RecordOf<KindDefinition>;
type AnySpec = SpecOf<KindDefinition>;

/**
 * The dynamic provider of one resource kind, everything read from the kind's definition: the
 * resource id is the object's identity (a provider's name) or the singleton's id (`global`).
 * Writes carry `X-Imfed-Client: pulumi` and the configured reason; update and delete carry
 * `If-Match` with the revision in the state, so a change made outside of code is never
 * overwritten unseen. A built-in object (and a singleton's one object) is adopted on create
 * and restored on delete, from `ResourceKind.tryFindBuiltIn`.
 */
export class KindProvider<const D extends KindDefinition = KindDefinition> {
  /** The kind this provider manages. */
  readonly kind: ResourceKind;
  readonly #connection: StoreConnection;
  readonly #reader: ProviderReader<D>;

  constructor(kind: ResourceKind<D>, connection: StoreConnection) {
    this.kind = anyKind(kind);
    this.#connection = connection;
    this.#reader = new ProviderReader(kind, () => connection.client());
  }

  /** Validates the inputs: every failure with its property path, defaults filled, values normalized; see `checkInputs`. */
  async check(_olds: Bag, news: Bag): Promise<CheckResult> {
    return checkInputs(this.kind, news);
  }

  /** Compares the state with the new inputs; see `diffInputs`. */
  async diff(_id: string, olds: Bag, news: Bag): Promise<DiffResult> {
    return diffInputs(this.kind, olds, news);
  }

  /**
   * Creates the object. A singleton's one object always exists and is adopted: set to the
   * declared settings. Of a collection kind, an existing object of that id is adopted (updated
   * to the declared settings, or removed and created again where a setting cannot change in
   * place) when it is a built-in or the inputs say `adopt: true`; any other existing id fails
   * with a message that says how to adopt it. If create throws, nothing was written.
   */
  async create(inputs: Bag): Promise<CreateResult> {
    const spec = specOfInputs(this.kind, inputs);
    const objects = this.#objects();
    if (this.kind.singletonId !== undefined) {
      return this.#created((await objects.put(undefined, spec, this.#write({}))).record, undefined);
    }
    const id = this.kind.idOf(spec);
    try {
      return this.#created((await objects.put(id, spec, this.#write({ ifNoneMatch: true }))).record, inputs);
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(`cannot create ${this.kind.describe(id)}: ${error.message}`, error.details);
      }
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
    const existing = await objects.tryGet(id);
    if (existing === undefined) {
      // Deleted between the two requests: create it after all.
      return this.#created((await objects.put(id, spec, this.#write({ ifNoneMatch: true }))).record, inputs);
    }
    const existingId = this.kind.idOf(existing);
    if (!adoptsExisting(this.kind, existing, inputs)) {
      throw new ConflictError(
        `${this.kind.describe(existingId)} already exists in the store (last changed by ${existing.updatedBy} ` +
          `via ${existing.updatedVia} at ${existing.updatedAt}). To manage it with this program, set ` +
          `"${ADOPT}: true" on the ${this.kind.name} (create then updates it to the declared settings); ` +
          `or remove it from the store first.`,
      );
    }
    return this.#created(await this.#adopt(objects, existing, spec), inputs);
  }

  // Takes over an existing object: updated in place to the declared settings, or removed and
  // created again when a setting differs that cannot change in place.
  async #adopt(objects: KindClient, existing: AnyRecord, spec: AnySpec): Promise<AnyRecord> {
    const existingId = this.kind.idOf(existing);
    try {
      if (this.kind.fieldsThatCannotChange(this.kind.specOf(existing), spec).length === 0) {
        return (await objects.put(existingId, spec, this.#write({ ifMatch: existing.revision }))).record;
      }
      await objects.delete(existingId, this.#write({ ifMatch: existing.revision }));
      return (await objects.put(this.kind.idOf(spec), spec, this.#write({ ifNoneMatch: true }))).record;
    } catch (error) {
      if (error instanceof PreconditionFailedError) {
        throw await this.#changedOutside(objects, existingId, existing.revision);
      }
      throw error;
    }
  }

  /**
   * Reads the live object: its fields as both outputs and inputs (so a refresh shows a block
   * made outside of code as `enabled: true => false`), or no id when it is gone. `props` are the
   * old outputs (the host passes no old inputs), which carry `adopt` as declared, so both keep
   * it. Concurrent reads share one list request.
   */
  async read(id: string, props: Bag): Promise<ReadResult> {
    const record = await this.#reader.read(id);
    if (record === undefined) return {};
    return {
      id: this.kind.idOf(record),
      props: outputsOfRecord(this.kind, record, props[ADOPT]),
      inputs: inputsOfRecord(this.kind, record, props[ADOPT]),
    };
  }

  /**
   * Updates the object to the new inputs with `If-Match` of the state's revision. If it was
   * changed outside of code since, nothing is written and the error names who changed it, how,
   * when and why, and says to refresh.
   */
  async update(id: string, olds: Bag, news: Bag): Promise<UpdateResult> {
    const spec = specOfInputs(this.kind, news);
    const objects = this.#objects();
    const revision = revisionOf(olds);
    try {
      const { record } = await objects.put(id, spec, this.#write({ ifMatch: revision }));
      return { outs: outputsOfRecord(this.kind, record, news[ADOPT]) };
    } catch (error) {
      if (error instanceof PreconditionFailedError) throw await this.#changedOutside(objects, id, revision);
      throw error;
    }
  }

  /**
   * Deletes the object with `If-Match` of the state's revision. A built-in is not deleted but
   * restored to its defaults (a built-in provider: present, not enabled), and so is a
   * singleton's one object. An object already gone is not an error (a built-in is put back).
   * If delete throws, the object is as it was.
   */
  async delete(id: string, props: Bag): Promise<void> {
    const objects = this.#objects();
    const revision = revisionOf(props);
    const restore = this.#restoreOf(id, props);
    const restored = (write: WriteOptions) =>
      restore === undefined ? Promise.resolve() : objects.put(id, restore, this.#write(write));
    try {
      if (restore !== undefined) await restored({ ifMatch: revision });
      else await objects.delete(id, this.#write({ ifMatch: revision }));
    } catch (error) {
      if (error instanceof NotFoundError && restore === undefined) return;
      if (!(error instanceof PreconditionFailedError)) throw error;
      const live = await objects.tryGet(id);
      if (live === undefined) {
        // Gone already; a built-in is put back as the store seeds it.
        await restored({ ifNoneMatch: true });
        return;
      }
      throw ChangedOutsideOfCodeError.changed(this.kind.describe(this.kind.idOf(live)), revision, live);
    }
  }

  // The settings a delete restores instead of deleting: a singleton's defaults, or the built-in
  // of that id when the state is that built-in (its id, and the same value in every field that
  // cannot change in place: a built-in's name reused for another Access Edge is a new object).
  #restoreOf(id: string, props: Bag): AnySpec | undefined {
    const builtIn = this.kind.tryFindBuiltIn(this.kind.singletonId ?? id);
    if (builtIn === undefined) return undefined;
    const identity = this.kind.identityField;
    if (identity === undefined) return builtIn;
    const wasBuiltIn = props.builtIn === true || this.kind.isBuiltIn({ ...props, [identity]: id });
    return wasBuiltIn ? ({ ...builtIn, [identity]: id } as AnySpec) : undefined;
  }

  async #changedOutside(
    objects: KindClient,
    id: string,
    revision: unknown,
  ): Promise<ChangedOutsideOfCodeError> {
    const live = await objects.tryGet(id);
    return live === undefined
      ? ChangedOutsideOfCodeError.deleted(this.kind.describe(id))
      : ChangedOutsideOfCodeError.changed(this.kind.describe(this.kind.idOf(live)), revision, live);
  }

  #created(record: AnyRecord, inputs: Bag | undefined): CreateResult {
    return { id: this.kind.idOf(record), outs: outputsOfRecord(this.kind, record, inputs?.[ADOPT]) };
  }

  #objects(): KindClient {
    return this.#connection.client().kind(this.kind);
  }

  #write(options: WriteOptions): WriteOptions {
    const reason = this.#connection.reason();
    return reason === undefined ? options : { ...options, reason };
  }
}

/**
 * Tells whether create takes over an existing object of the id it creates (an adoption) rather
 * than failing: always for a singleton's one object, for a built-in, and where the inputs say
 * `adopt: true`. `imfed plan` reads the same rule to show an adoption or the failure ahead.
 */
export function adoptsExisting<const D extends KindDefinition>(
  generic: ResourceKind<D>,
  existing: Bag,
  inputs: Bag,
): boolean {
  const kind = anyKind(generic);
  if (kind.singletonId !== undefined) return true;
  return existing.builtIn === true || kind.isBuiltIn(existing) || inputs[ADOPT] === true;
}

function revisionOf(state: Bag): number | undefined {
  return typeof state.revision === "number" ? state.revision : undefined;
}
