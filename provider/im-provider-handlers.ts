/**
 * The dynamic provider of `ImProvider` as the provider host runs it. What the SDK serializes into
 * each resource's state is `imProviderProvider` (resource-providers.ts): a few hundred bytes whose
 * `configure` does `require("imfed/provider/im-provider-handlers")` (allowed by the package's
 * `exports`) and puts these functions on the object the host deserialized. So the state holds
 * no credential and no copy of the code, and a refresh runs the installed version; and because
 * state written by an older imfed runs its own stored text, this module's path and functions are
 * a permanent contract. What a failure leaves behind is said on the `ImProviderProvider` method each
 * function calls.
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

/** Deletes the provider, or restores a built-in to its defaults (present, not enabled); see `ImProviderProvider.delete`. */
function remove(id: string, props: Bag): Promise<void> {
  return imProvider.delete(id, props);
}
export { remove as delete };
