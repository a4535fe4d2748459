/**
 * The Pulumi resources of imfed: `ImProvider` (an IM service provider) and `Federation` (the
 * organization's federation settings).
 */
export { ImProvider } from "./im-provider";
export type { ImProviderArgs } from "./im-provider";
export { Federation } from "./federation";
export type { FederationArgs } from "./federation";
