/**
 * The dynamic provider of `ImProvider` as a module: the SDK's serializer turns a captured module
 * of an installed package into `require("imfed/provider/im-provider-handlers")` (allowed by the
 * package's `exports`), so each resource's state holds a few hundred bytes, no credential and
 * no copy of the code, and a refresh runs the installed version. Each function says what a
 * failure leaves behind in `ImProviderProvider`.
 */
import { connection, imProvider } from "./host-state";
import type { CheckResult, ConfigLike, CreateResult, DiffResult, ReadResult, UpdateResult } from "./results";

type Bag = Readonly<Record<string, unknown>>;

/** Takes the stack configuration (`imfed:endpoint`, secret `imfed:token`, `imfed:reason`); the host calls it first. */
export async function configure(request: { readonly config: ConfigLike }): Promise<void> {
  connection.configure(request.config);
}

/** Validates the inputs; see `ImProviderProvider.check`. */
export function check(olds: Bag, news: Bag): Promise<CheckResult> {
  return imProvider.check(olds, news);
}

/** Compares the state with the new inputs; see `ImProviderProvider.diff`. */
export function diff(id: string, olds: Bag, news: Bag): Promise<DiffResult> {
  return imProvider.diff(id, olds, news);
}

/** Creates (or adopts); see `ImProviderProvider.create`. */
export function create(inputs: Bag): Promise<CreateResult> {
  return imProvider.create(inputs);
}

/** Reads the live object; see `ImProviderProvider.read`. */
export function read(id: string, props?: Bag): Promise<ReadResult> {
  return imProvider.read(id, props ?? {});
}

/** Updates with `If-Match`; see `ImProviderProvider.update`. */
export function update(id: string, olds: Bag, news: Bag): Promise<UpdateResult> {
  return imProvider.update(id, olds, news);
}

/** Deletes (a built-in or the federation settings: restores the defaults); see `ImProviderProvider.delete`. */
function remove(id: string, props: Bag): Promise<void> {
  return imProvider.delete(id, props);
}
export { remove as delete };
