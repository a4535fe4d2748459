/**
 * imfed: the IM service providers and the federation settings of a Lync Server / Skype for
 * Business Server style deployment as Pulumi resources.
 *
 * ```ts
 * import { ImProvider, Federation } from "imfed";
 * ```
 */
export { ImProvider, Federation } from "./sdk";
export type { ImProviderArgs, FederationArgs } from "./sdk";
