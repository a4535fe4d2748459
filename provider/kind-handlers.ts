import type { KindDefinition, ResourceKind } from "../core";
import { Connection } from "./connection";
import { KindProvider } from "./kind-provider";
import type { CheckResult, ConfigLike, CreateResult, DiffResult, ReadResult, UpdateResult } from "./results";

type Bag = Readonly<Record<string, unknown>>;

/**
 * The functions of one kind's handler module (`imfed/provider/<kind>-handlers`), as the provider
 * host runs them: the serialized provider's `configure` requires the module and puts these on
 * the object the host deserialized (see `resource-providers.ts`). State written by an older
 * imfed runs its own stored text, which requires the module by that path and calls these by
 * these names: both are a permanent contract. What a failure leaves behind is said on the
 * {@link KindProvider} method each calls.
 */
export interface KindHandlers {
  /** Takes the stack configuration (`imfed:endpoint`, secret `imfed:token`, `imfed:reason`); the host calls it first. */
  configure(request: { readonly config: ConfigLike }): Promise<void>;
  /** Validates the inputs; see {@link KindProvider.check}. */
  check(olds: Bag, news: Bag): Promise<CheckResult>;
  /** Compares the state with the new inputs; see {@link KindProvider.diff}. */
  diff(id: string, olds: Bag, news: Bag): Promise<DiffResult>;
  /** Creates (or adopts); see {@link KindProvider.create}. */
  create(inputs: Bag): Promise<CreateResult>;
  /** Reads the live object; see {@link KindProvider.read}. */
  read(id: string, props?: Bag): Promise<ReadResult>;
  /** Updates with `If-Match`; see {@link KindProvider.update}. */
  update(id: string, olds: Bag, news: Bag): Promise<UpdateResult>;
  /** Deletes, or restores a built-in (or a singleton) to its defaults; see {@link KindProvider.delete}. */
  delete(id: string, props: Bag): Promise<void>;
}

/**
 * The provider host's one connection to the store, shared by the handlers of every kind: the
 * host configures each provider it deserializes with the same stack configuration, and one
 * connection warns once, not once per kind, when it falls back to the default endpoint. Made
 * when the host first loads a handler module; its settings come from `configure`, so nothing
 * of it exists where a provider is serialized.
 */
const hostConnection = new Connection();

/**
 * Builds the handlers of a kind's dynamic provider over one {@link KindProvider}, connected
 * through the host's connection (or the one given, for tests).
 */
export function kindHandlers<const D extends KindDefinition>(
  kind: ResourceKind<D>,
  connection: Connection = hostConnection,
): KindHandlers {
  const provider = new KindProvider(kind, connection);
  return {
    configure: async (request) => connection.configure(request.config),
    check: (olds, news) => provider.check(olds, news),
    diff: (id, olds, news) => provider.diff(id, olds, news),
    create: (inputs) => provider.create(inputs),
    read: (id, props) => provider.read(id, props ?? {}),
    update: (id, olds, news) => provider.update(id, olds, news),
    delete: (id, props) => provider.delete(id, props),
  };
}
