/**
 * The Pulumi dynamic providers of imfed. `imProviderProvider` and `federationProvider` are the
 * objects the SDK's resources serialize; the classes hold the logic and can be driven
 * directly with any {@link StoreConnection}.
 */
export { imProviderProvider, federationProvider } from "./resource-providers";
export { ImProviderProvider } from "./im-provider-provider";
export { FederationProvider } from "./federation-provider";
export { Connection } from "./connection";
export type { StoreConnection } from "./connection";
export { ChangedOutsideOfCodeError } from "./changed-outside-error";
export { ProviderReader, READ_BATCH_WINDOW_MS } from "./provider-reader";
export { checkImProviderInputs, diffImProvider } from "./im-provider-inputs";
export type { ImProviderInputs, ImProviderOutputs } from "./im-provider-inputs";
export { checkFederationInputs, diffFederation } from "./federation-inputs";
export type { FederationInputs, FederationOutputs } from "./federation-inputs";
export type {
  CheckFailure,
  CheckResult,
  DiffResult,
  CreateResult,
  ReadResult,
  UpdateResult,
  ConfigLike,
} from "./results";
