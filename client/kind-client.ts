import type { KindDefinition, RecordOf, ResourceKind, SpecInputOf } from "../core/kinds";
import { isReadOnlyField } from "../core/last-write";
import { StoreUnavailableError } from "./store-unavailable-error";

/** The most ids one batch read names (the store's limit, docs/api.md). */
export const MAX_IDS_PER_READ = 50;

/** Preconditions and the reason of one write. */
export interface WriteOptions {
  /** `If-Match`: the revision the object must still have (or `"*"`: it must exist); else 412. */
  readonly ifMatch?: number | "*";
  /** `If-None-Match: *`: create only; 412 if the object exists. */
  readonly ifNoneMatch?: boolean;
  /** Why the change is made (`X-Imfed-Reason`), at most 500 characters; kept on the object and in the audit log. */
  readonly reason?: string;
}

/** What a `PUT` did: the object as stored, and whether it was created (201) rather than replaced (200). */
export interface PutResult<R> {
  readonly record: R;
  readonly created: boolean;
}

/** The transport a {@link KindClient} sends its requests through (the {@link StoreClient}'s). */
export interface KindTransport {
  send(
    method: string,
    path: string,
    init?: {
      readonly body?: unknown;
      readonly write?: WriteOptions;
      readonly accept?: readonly number[];
    },
  ): Promise<{ readonly status: number; readonly body: unknown }>;
}

/**
 * The client of one resource kind's routes (`/v1/<path>` and `/v1/<path>/{id}`), derived from
 * its definition: the same methods serve every kind, and the records are parsed with the
 * kind's record schema, keeping only the fields the kind names, so that a newer store that
 * adds a field does not break an older client.
 */
export class KindClient<const D extends KindDefinition = KindDefinition> {
  readonly #kind: ResourceKind<D>;
  readonly #transport: KindTransport;
  readonly #fields: ReadonlySet<string>;

  constructor(kind: ResourceKind<D>, transport: KindTransport) {
    this.#kind = kind;
    this.#transport = transport;
    this.#fields = new Set(kind.fields);
  }

  /** The kind this client serves. */
  get kind(): ResourceKind<D> {
    return this.#kind;
  }

  /**
   * Every object of the kind, sorted by id; `filter` narrows by the discriminator (for
   * providers, `{ kind: "hosted" }`). A singleton kind lists its one object.
   */
  async list(filter: Readonly<Record<string, string>> = {}): Promise<RecordOf<D>[]> {
    if (this.#kind.singletonId !== undefined) return [await this.get()];
    const query = new URLSearchParams(filter).toString();
    const { body } = await this.#transport.send(
      "GET",
      `/v1/${this.#kind.path}${query === "" ? "" : `?${query}`}`,
    );
    return itemsOf(body).map((item) => this.parse(item));
  }

  /**
   * The objects of some ids (ignoring ASCII case) that exist, by batch reads of at most
   * {@link MAX_IDS_PER_READ} ids each (`GET /v1/<path>?<identity>=a&<identity>=b`), which fetch
   * only those objects; an id that names nothing is left out. A singleton kind reads its one object.
   */
  async getMany(ids: readonly string[]): Promise<RecordOf<D>[]> {
    const identity = this.#kind.identityField;
    if (this.#kind.singletonId !== undefined || identity === undefined) return [await this.get()];
    const records: RecordOf<D>[] = [];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_READ) {
      const query = new URLSearchParams(
        ids.slice(start, start + MAX_IDS_PER_READ).map((id): [string, string] => [identity, id]),
      ).toString();
      const { body } = await this.#transport.send("GET", `/v1/${this.#kind.path}?${query}`);
      for (const item of itemsOf(body)) records.push(this.parse(item));
    }
    return records;
  }

  /** One object by id (ignoring ASCII case; a singleton needs none); throws `NotFoundError` if there is none. */
  async get(id?: string): Promise<RecordOf<D>> {
    const { body } = await this.#transport.send("GET", this.pathOf(id));
    return this.parse(body);
  }

  /** One object by id, or `undefined` if there is none. */
  async tryGet(id?: string): Promise<RecordOf<D> | undefined> {
    const { status, body } = await this.#transport.send("GET", this.pathOf(id), { accept: [404] });
    return status === 404 ? undefined : this.parse(body);
  }

  /**
   * Creates or replaces an object with its full settings (fields with defaults may be left
   * out). If it throws, the store is as it was (unless it could not be reached: then read it).
   */
  async put(
    id: string | undefined,
    spec: SpecInputOf<D>,
    options: WriteOptions = {},
  ): Promise<PutResult<RecordOf<D>>> {
    const { status, body } = await this.#transport.send("PUT", this.pathOf(id), {
      body: spec,
      write: options,
    });
    return { record: this.parse(body), created: status === 201 };
  }

  /** Changes some fields (a JSON merge patch: `null` restores a field's default). */
  async patch(
    id: string | undefined,
    patch: Readonly<Record<string, unknown>>,
    options: WriteOptions = {},
  ): Promise<RecordOf<D>> {
    const { body } = await this.#transport.send("PATCH", this.pathOf(id), { body: patch, write: options });
    return this.parse(body);
  }

  /** Deletes an object; throws `NotFoundError` if there is none. */
  async delete(id: string | undefined, options: WriteOptions = {}): Promise<void> {
    await this.#transport.send("DELETE", this.pathOf(id), { write: options });
  }

  /** The API path of an object: `/v1/providers/Yahoo%21`, or `/v1/federation` for a singleton. */
  pathOf(id?: string): string {
    if (this.#kind.singletonId !== undefined) return `/v1/${this.#kind.path}`;
    if (id === undefined) throw new Error(`a ${this.#kind.noun} is named by its ${this.#kind.identityField}`);
    return `/v1/${this.#kind.path}/${encodeURIComponent(id)}`;
  }

  /** Parses a record of the kind from an answer, keeping only the fields the kind and the store's metadata name. */
  parse(body: unknown): RecordOf<D> {
    if (body === null || typeof body !== "object")
      throw outsideContract(this.#kind.noun, "", "must be an object");
    const picked: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(body)) {
      if (this.#fields.has(field) || isReadOnlyField(field)) picked[field] = value;
    }
    // An absent optional field is `null` in a record; a store that leaves it out means the same.
    for (const field of this.#kind.fieldsOf(this.#kind.variantOf(picked))) {
      if (this.#kind.field(field).optional && picked[field] === undefined) picked[field] = null;
    }
    const parsed = this.#kind.recordSchema.safeParse(picked);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw outsideContract(this.#kind.noun, issue?.path.join(".") ?? "", issue?.message ?? "");
  }
}

function outsideContract(noun: string, path: string, message: string): StoreUnavailableError {
  return new StoreUnavailableError(
    `the store answered with a ${noun} that does not match the API: ${path} ${message}`
      .replace(/ +/g, " ")
      .trim(),
  );
}

/** The `items` of a list answer; anything else is outside the contract. */
export function itemsOf(body: unknown): unknown[] {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items))
    throw new StoreUnavailableError("the store answered a list without an items array");
  return items;
}
