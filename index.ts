/**
 * imfed: the IM service providers and the federation settings of a Lync Server / Skype for
 * Business Server style deployment as Pulumi resources, one class per resource kind.
 *
 * ```ts
 * import { ImProvider, Federation } from "imfed";
 * ```
 */
export * from "./sdk";
