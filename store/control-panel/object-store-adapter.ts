/**
 * TRANSITIONAL: removed when `TopologyStore` implements {@link ObjectStore} itself (the store's
 * generic persistence); the Control Panel then takes the store as its object store. This is the
 * only file of the Control Panel that names resource kinds: everything else reads them from
 * their definitions.
 */
import type { KindDefinition, RecordOf, ResourceKind } from "../../core";
import { NotFoundError, federationKind, imProviderKind } from "../../core";
import type { ObjectStore } from "../object-store";
import type { Preconditions, PutResult, TopologyStore, WriteContext } from "../topology-store";

/**
 * The objects of every resource kind over today's per-kind methods of {@link TopologyStore}
 * (`listProviders`, `putFederation`, ...). Transitional: see the file's header.
 */
export class TopologyStoreObjects implements ObjectStore {
  constructor(private readonly store: TopologyStore) {}

  async list<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    filter?: Readonly<Record<string, string>>,
  ): Promise<RecordOf<D>[]> {
    const records = isProviders(kind)
      ? await this.store.listProviders()
      : isFederation(kind)
        ? [await this.store.getFederation()]
        : unknownKind(kind);
    // The filter is checked here, whatever the store does with it.
    const matches = (record: Readonly<Record<string, unknown>>) =>
      Object.entries(filter ?? {}).every(([field, value]) => record[field] === value);
    return (records as readonly Readonly<Record<string, unknown>>[]).filter(matches) as RecordOf<D>[];
  }

  async tryFind<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
  ): Promise<RecordOf<D> | undefined> {
    if (isProviders(kind)) return (await this.store.tryFindProvider(id)) as RecordOf<D> | undefined;
    if (isFederation(kind))
      return kind.keyOf(id) === undefined
        ? undefined
        : ((await this.store.getFederation()) as unknown as RecordOf<D>);
    return unknownKind(kind);
  }

  async find<const D extends KindDefinition>(kind: ResourceKind<D>, id: string): Promise<RecordOf<D>> {
    const record = await this.tryFind(kind, id);
    if (record === undefined)
      throw new NotFoundError(
        `${kind.describe(id)} not found; the list of ${kind.path} shows what the store holds`,
      );
    return record;
  }

  async put<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<PutResult<RecordOf<D>>> {
    if (isProviders(kind))
      return (await this.store.putProvider(id, body, preconditions, context)) as PutResult<RecordOf<D>>;
    if (isFederation(kind)) {
      const record = await this.store.putFederation(body, preconditions, context);
      return { record: record as unknown as RecordOf<D>, created: false };
    }
    return unknownKind(kind);
  }

  async patch<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<RecordOf<D>> {
    if (isProviders(kind))
      return (await this.store.patchProvider(id, body, preconditions, context)) as RecordOf<D>;
    if (isFederation(kind))
      return (await this.store.patchFederation(body, preconditions, context)) as unknown as RecordOf<D>;
    return unknownKind(kind);
  }

  async remove<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<void> {
    if (isProviders(kind)) return this.store.deleteProvider(id, preconditions, context);
    if (isFederation(kind)) throw new Error(`${kind.describe()} cannot be removed: there is always one`);
    return unknownKind(kind);
  }
}

function isProviders(kind: ResourceKind<KindDefinition>): boolean {
  return kind.name === imProviderKind.name;
}

function isFederation(kind: ResourceKind<KindDefinition>): boolean {
  return kind.name === federationKind.name;
}

function unknownKind(kind: ResourceKind<KindDefinition>): never {
  throw new Error(
    `the store has no methods for the kind "${kind.name}" yet; it is served once TopologyStore implements ObjectStore`,
  );
}
