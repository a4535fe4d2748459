import type { ProviderRecord } from "../core";
import { providerNameKey } from "../core";
import type { StoreClient } from "../client";

/** How long the reader waits for more reads to join a batch, in milliseconds. */
export const READ_BATCH_WINDOW_MS = 5;

interface PendingRead {
  readonly key: string;
  readonly name: string;
  readonly resolve: (record: ProviderRecord | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Reads providers for `read`, coalescing the reads that arrive within a short window into one
 * `GET /v1/providers` (DESIGN.md, "Performance targets": a refresh of many providers makes one
 * list call per batch, not one GET each). A lone read is a single GET. A read that starts
 * after a batch was sent waits for the next one, so it never sees a list older than itself.
 */
export class ProviderReader {
  readonly #client: () => StoreClient;
  readonly #windowMs: number;
  #pending: PendingRead[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(client: () => StoreClient, windowMs: number = READ_BATCH_WINDOW_MS) {
    this.#client = client;
    this.#windowMs = windowMs;
  }

  /** The provider of that name (case-insensitive), or `undefined` if the store has none. */
  read(name: string): Promise<ProviderRecord | undefined> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ key: providerNameKey(name), name, resolve, reject });
      if (this.#timer === undefined) this.#timer = setTimeout(() => void this.#flush(), this.#windowMs);
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#timer = undefined;
    try {
      const client = this.#client();
      const only = batch.length === 1 ? batch[0] : undefined;
      if (only !== undefined) {
        only.resolve(await client.tryGetProvider(only.name));
        return;
      }
      const byKey = new Map<string, ProviderRecord>();
      for (const record of await client.listProviders()) byKey.set(providerNameKey(record.name), record);
      for (const read of batch) read.resolve(byKey.get(read.key));
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }
}
