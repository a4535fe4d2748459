/**
 * The dynamic provider of `ImProvider` as the provider host runs it: what the SDK serializes into
 * each resource's state is `imProviderProvider` (resource-providers.ts), whose `configure` does
 * `require("imfed/provider/im-provider-handlers")` and puts these functions on the object the host
 * deserialized. So the state holds no credential and no copy of the code, and a refresh runs the
 * installed version; and because state written by an older imfed runs its own stored text, this
 * module's path and the names of its functions are a permanent contract. What each does, and what a
 * failure leaves behind, is said on `KindHandlers` and `KindProvider`.
 */
import { findKind } from "../core";
import { kindHandlers } from "./kind-handlers";

const handlers = kindHandlers(findKind("ImProvider"));

/** The handlers of `ImProvider`; see `KindHandlers`. */
export const { configure, check, diff, create, read, update } = handlers;
const remove = handlers.delete;
export { remove as delete };
