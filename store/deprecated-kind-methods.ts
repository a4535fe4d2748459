import type {
  FederationRecord,
  KindDefinition,
  ProviderKind,
  ProviderRecord,
  ProviderSpec,
  RecordOf,
  ResourceKind,
} from "../core";
import { federationKind, imProviderKind } from "../core";
import type { ObjectStore, PutResult } from "./object-store";
import type { Preconditions } from "./preconditions";
import type { WriteContext } from "./write-context";

/**
 * Transitional: the store's provider and federation methods from before it served any kind,
 * each a call of the generic {@link ObjectStore} method, kept only while the Control Panel is
 * rewritten over the generic ones. Delete this file (and `extends` in `topology-store.ts`)
 * once nothing calls them.
 */
export abstract class DeprecatedKindMethods implements ObjectStore {
  abstract list<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    filter?: Readonly<Record<string, string>>,
  ): Promise<RecordOf<D>[]>;
  abstract tryFind<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
  ): Promise<RecordOf<D> | undefined>;
  abstract find<const D extends KindDefinition>(kind: ResourceKind<D>, id: string): Promise<RecordOf<D>>;
  abstract put<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<PutResult<RecordOf<D>>>;
  abstract patch<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<RecordOf<D>>;
  abstract remove<const D extends KindDefinition>(
    kind: ResourceKind<D>,
    id: string,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<void>;

  /** @deprecated `list(imProviderKind, {kind})` */
  listProviders(kind?: ProviderKind): Promise<ProviderRecord[]> {
    return this.list(imProviderKind, kind === undefined ? undefined : { kind });
  }

  /** @deprecated `tryFind(imProviderKind, name)` */
  tryFindProvider(name: string): Promise<ProviderRecord | undefined> {
    return this.tryFind(imProviderKind, name);
  }

  /** @deprecated `find(imProviderKind, name)` */
  findProvider(name: string): Promise<ProviderRecord> {
    return this.find(imProviderKind, name);
  }

  /** @deprecated `put(imProviderKind, ...)` */
  putProvider(
    name: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<PutResult<ProviderRecord>> {
    return this.put(imProviderKind, name, body, preconditions, context);
  }

  /** @deprecated `patch(imProviderKind, ...)` */
  patchProvider(
    name: string,
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<ProviderRecord> {
    return this.patch(imProviderKind, name, body, preconditions, context);
  }

  /** @deprecated `remove(imProviderKind, ...)` */
  deleteProvider(name: string, preconditions: Preconditions, context: WriteContext): Promise<void> {
    return this.remove(imProviderKind, name, preconditions, context);
  }

  /** @deprecated `find(federationKind, "global")` */
  getFederation(): Promise<FederationRecord> {
    return this.find(federationKind, FEDERATION);
  }

  /** @deprecated `put(federationKind, "global", ...)` */
  async putFederation(
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<FederationRecord> {
    return (await this.put(federationKind, FEDERATION, body, preconditions, context)).record;
  }

  /** @deprecated `patch(federationKind, "global", ...)` */
  patchFederation(
    body: unknown,
    preconditions: Preconditions,
    context: WriteContext,
  ): Promise<FederationRecord> {
    return this.patch(federationKind, FEDERATION, body, preconditions, context);
  }
}

const FEDERATION = federationKind.singletonId ?? "";

/** @deprecated `imProviderKind.specOf(record)` */
export function specOf(record: ProviderRecord): ProviderSpec {
  return imProviderKind.specOf(record);
}
