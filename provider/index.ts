/**
 * The Pulumi dynamic providers of imfed: one generic provider for every resource kind.
 * `imProviderProvider` and `federationProvider` are the objects the SDK's resources serialize;
 * {@link KindProvider} holds the logic of every kind and can be driven directly with any
 * {@link StoreConnection}; `checkInputs` and `diffInputs` are its check and diff.
 */
export * from "./resource-providers";
export { KindProvider } from "./kind-provider";
export { kindHandlers } from "./kind-handlers";
export type { KindHandlers } from "./kind-handlers";
export { Connection } from "./connection";
export type { StoreConnection } from "./connection";
export { ChangedOutsideOfCodeError } from "./changed-outside-error";
export { ProviderReader, READ_BATCH_WINDOW_MS } from "./provider-reader";
export {
  ADOPT,
  checkInputs,
  diffInputs,
  inputsOfRecord,
  outputsOfRecord,
  placeholderOf,
  placeholderVariant,
  specOfInputs,
  takesAdopt,
} from "./kind-inputs";
export type {
  CheckFailure,
  CheckResult,
  DiffResult,
  CreateResult,
  ReadResult,
  UpdateResult,
  ConfigLike,
} from "./results";
