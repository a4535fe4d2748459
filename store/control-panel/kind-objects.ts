import type { ResourceKind } from "../../core";
import type { ObjectStore } from "../object-store";
import type { Preconditions, WriteContext } from "../topology-store";
import type { StoredObject } from "./extensions";

/**
 * The objects of one resource kind, through the {@link ObjectStore} every page talks to the
 * store with, as the Control Panel's generic pages read them ({@link StoredObject}), and how
 * its messages name them.
 */
export class KindObjects {
  constructor(
    readonly kind: ResourceKind,
    private readonly objects: ObjectStore,
  ) {}

  /** Every object of the kind, sorted by id. */
  async list(): Promise<StoredObject[]> {
    return (await this.objects.list(this.kind)) as unknown as StoredObject[];
  }

  /** The object of an id (ASCII case ignored), or `undefined`. */
  async tryFind(id: string): Promise<StoredObject | undefined> {
    return (await this.objects.tryFind(this.kind, id)) as unknown as StoredObject | undefined;
  }

  /** Creates an object, or replaces it with the full settings of `body`. If it throws, nothing was written. */
  async put(
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<StoredObject> {
    const { record } = await this.objects.put(this.kind, id, body, preconditions, context);
    return record as unknown as StoredObject;
  }

  /** Changes some fields with a merge patch. If it throws, nothing was written. */
  async patch(
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<StoredObject> {
    return (await this.objects.patch(this.kind, id, body, preconditions, context)) as unknown as StoredObject;
  }

  /** Removes an object. If it throws, nothing was removed. */
  async remove(id: string, preconditions: Preconditions, context: WriteContext): Promise<void> {
    await this.objects.remove(this.kind, id, preconditions, context);
  }

  /** The id of a stored object (its identity field's value, or the singleton's id). */
  idOf(record: StoredObject): string {
    return this.kind.idOf(record);
  }

  /** The object at the start of a sentence: `Provider "Yahoo!"`, `The federation settings`. */
  what(id: string | undefined): string {
    const described = this.kind.describe(id);
    return described.charAt(0).toUpperCase() + described.slice(1);
  }
}
