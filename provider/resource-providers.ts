import type * as pulumi from "@pulumi/pulumi";
import type { KindHandlers } from "./kind-handlers";

// How these objects serialize (DESIGN.md, "Pulumi resources"). The SDK's serializer copies an
// object by value, methods and all, and turns a captured module into a `require` only when
// the module's file lies under node_modules; imfed's own files (tests, the repository's root
// Pulumi.yaml) or a linked install (`file:`, npm workspaces, `npm link`) are copied by value,
// which fails on the zod schemas. So each provider is a small object whose methods `require`
// the handler module by package name, at run time in the provider host: the serialized text
// is these two methods and the literal `require`, with no captured module, credential or
// client. The host calls `configure` first, once, on the object it deserialized
// (`@pulumi/pulumi/cmd/dynamic-provider`), so configure puts the handler module's functions
// (check, diff, create, read, update, delete) on the object; seven forwarding methods would
// serialize to more than the 2 KB the state may hold.

/**
 * The dynamic provider of `ImProvider`, as the SDK serializes it into each resource's state: a few
 * hundred bytes that `require("imfed/provider/im-provider-handlers")` in the provider host.
 * Configure it through the stack configuration (`imfed:endpoint`, secret `imfed:token`) or
 * `IMFED_ENDPOINT` / `IMFED_TOKEN`.
 */
export const imProviderProvider: pulumi.dynamic.ResourceProvider = {
  configure(request) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handlers = require("imfed/provider/im-provider-handlers") as KindHandlers;
    Object.assign(this, handlers);
    return handlers.configure(request);
  },
  create(inputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("imfed/provider/im-provider-handlers") as KindHandlers).create(inputs);
  },
};

/**
 * The dynamic provider of `Federation`, as the SDK serializes it into each resource's state: a few
 * hundred bytes that `require("imfed/provider/federation-handlers")` in the provider host.
 * Configure it through the stack configuration (`imfed:endpoint`, secret `imfed:token`) or
 * `IMFED_ENDPOINT` / `IMFED_TOKEN`.
 */
export const federationProvider: pulumi.dynamic.ResourceProvider = {
  configure(request) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handlers = require("imfed/provider/federation-handlers") as KindHandlers;
    Object.assign(this, handlers);
    return handlers.configure(request);
  },
  create(inputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("imfed/provider/federation-handlers") as KindHandlers).create(inputs);
  },
};
