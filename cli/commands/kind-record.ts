import type { LastWriteFacts } from "../../core";

/**
 * An object of any kind as the store returns it, as the generic commands read it: its fields by
 * name (read through the kind's definition, never named here) and the store's metadata.
 */
export type KindRecord = Readonly<Record<string, unknown>> &
  LastWriteFacts & {
    readonly createdAt?: string;
    readonly builtIn?: boolean;
  };

/** Views a record parsed by a `KindClient` (whose type depends on its kind) as a {@link KindRecord}. */
export function asKindRecord(record: unknown): KindRecord {
  return record as KindRecord;
}
