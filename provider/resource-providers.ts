import type * as pulumi from "@pulumi/pulumi";
import * as federationHandlers from "./federation-handlers";
import * as imProviderHandlers from "./im-provider-handlers";

// Each provider is a handler module itself, not an object: the SDK's serializer copies an
// object by value, methods and all, but writes a captured module of an installed package as a
// `require` of it (DESIGN.md, "Pulumi resources"). That keeps the state small and free of
// credentials, and lets a refresh run the installed code.

/**
 * The dynamic provider of `ImProvider`, as the SDK serializes it into each resource's state:
 * `require("imfed/provider/im-provider-handlers")`. Configure it through the stack
 * configuration (`imfed:endpoint`, secret `imfed:token`) or `IMFED_ENDPOINT` / `IMFED_TOKEN`.
 */
export const imProviderProvider: pulumi.dynamic.ResourceProvider = imProviderHandlers;

/** The dynamic provider of `Federation`: `require("imfed/provider/federation-handlers")`. */
export const federationProvider: pulumi.dynamic.ResourceProvider = federationHandlers;
