import type { KindDefinition, RecordOf, ResourceKind } from "../core";
import type { StoreClient } from "../client";

/**
 * How long the reader waits for more reads to join a batch, in milliseconds. The engine sends
 * the Reads of a refresh step (10 at its default parallelism) within a millisecond of each
 * other, so 1 ms gathers them (BENCHMARKS.md: 100 store calls for 1,000 Reads, at 1 ms as at
 * 5 ms), and every batch waits no longer than that.
 */
export const READ_BATCH_WINDOW_MS = 1;

type AnyRecord = RecordOf<KindDefinition>;

interface PendingRead {
  readonly key: string;
  readonly id: string;
  readonly resolve: (record: AnyRecord | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Reads the objects of one resource kind for the provider's `read`, coalescing the reads that
 * arrive within a short window into one batch read of just those ids
 * (`GET /v1/<path>?<identity>=a&<identity>=b`; BENCHMARKS.md: concurrent
 * Reads become few store calls that fetch only what was asked, not a list of every object per
 * batch). A lone read is a single GET. A read that starts after a batch was sent waits for the
 * next one, so it never sees a list older than itself. Ids are compared as the kind compares
 * them (ignoring ASCII case); an id that names nothing of the kind reads as gone.
 */
export class ProviderReader<const D extends KindDefinition = KindDefinition> {
  readonly #kind: ResourceKind;
  readonly #client: () => StoreClient;
  readonly #windowMs: number;
  #pending: PendingRead[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(kind: ResourceKind<D>, client: () => StoreClient, windowMs: number = READ_BATCH_WINDOW_MS) {
    this.#kind = kind as unknown as ResourceKind;
    this.#client = client;
    this.#windowMs = windowMs;
  }

  /** The object of that id, or `undefined` if the store has none. */
  read(id: string): Promise<RecordOf<D> | undefined> {
    const key = this.#kind.keyOf(id);
    if (key === undefined) return Promise.resolve(undefined);
    return new Promise<AnyRecord | undefined>((resolve, reject) => {
      this.#pending.push({ key, id, resolve, reject });
      if (this.#timer === undefined) this.#timer = setTimeout(() => void this.#flush(), this.#windowMs);
    }) as Promise<RecordOf<D> | undefined>;
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#timer = undefined;
    try {
      const objects = this.#client().kind(this.#kind);
      const only = batch.length === 1 ? batch[0] : undefined;
      if (only !== undefined) {
        only.resolve(await objects.tryGet(only.id));
        return;
      }
      const byKey = new Map<string, AnyRecord>();
      for (const record of await objects.getMany([...new Set(batch.map((read) => read.id))])) {
        const key = this.#kind.keyOf(this.#kind.idOf(record));
        if (key !== undefined) byKey.set(key, record);
      }
      for (const read of batch) read.resolve(byKey.get(read.key));
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }
}
