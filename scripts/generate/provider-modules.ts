import type { ResourceKind } from "../../core";
import { docComment } from "./doc-comment";
import { GENERATED_NOTICE, handlerModuleOf, kebabName, providerObjectOf } from "./names";

/**
 * A kind's handler module (`provider/<kebab-kind>-handlers.ts`): the handlers of its dynamic
 * provider over the generic factory. The serialized provider requires it by its package path.
 */
export function handlerModule(kind: ResourceKind): string {
  const doc = docComment([
    `The dynamic provider of \`${kind.name}\` as the provider host runs it: what the SDK serializes into each ` +
      `resource's state is \`${providerObjectOf(kind)}\` (resource-providers.ts), whose \`configure\` does ` +
      `\`require("${handlerModuleOf(kind)}")\` and puts these functions on the object the host deserialized. ` +
      `So the state holds no credential and no copy of the code, and a refresh runs the installed version; and ` +
      `because state written by an older imfed runs its own stored text, this module's path and the names of ` +
      `its functions are a permanent contract. What each does, and what a failure leaves behind, is said on ` +
      `\`KindHandlers\` and \`KindProvider\`.`,
  ]);
  return `// ${GENERATED_NOTICE}
${doc}
import { findKind } from "../core";
import { kindHandlers } from "./kind-handlers";

const handlers = kindHandlers(findKind(${JSON.stringify(kind.name)}));

/** The handlers of \`${kind.name}\`; see \`KindHandlers\`. */
export const { configure, check, diff, create, read, update } = handlers;
const remove = handlers.delete;
export { remove as delete };
`;
}

/** The serializable provider objects of every kind (`provider/resource-providers.ts`). */
export function resourceProvidersModule(kinds: readonly ResourceKind[]): string {
  const objects = kinds.map((kind) => {
    const module = JSON.stringify(handlerModuleOf(kind));
    const doc = docComment([
      `The dynamic provider of \`${kind.name}\`, as the SDK serializes it into each resource's state: a few ` +
        `hundred bytes that \`require(${module})\` in the provider host. Configure it through the stack ` +
        `configuration (\`imfed:endpoint\`, secret \`imfed:token\`) or \`IMFED_ENDPOINT\` / \`IMFED_TOKEN\`.`,
    ]);
    return `${doc}
export const ${providerObjectOf(kind)}: pulumi.dynamic.ResourceProvider = {
  configure(request) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handlers = require(${module}) as KindHandlers;
    Object.assign(this, handlers);
    return handlers.configure(request);
  },
  create(inputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(${module}) as KindHandlers).create(inputs);
  },
};`;
  });
  return `// ${GENERATED_NOTICE}
import type * as pulumi from "@pulumi/pulumi";
import type { KindHandlers } from "./kind-handlers";

// How these objects serialize (docs/pulumi.md). The SDK's serializer copies an
// object by value, methods and all, and turns a captured module into a \`require\` only when
// the module's file lies under node_modules; imfed's own files (tests, the repository's root
// Pulumi.yaml) or a linked install (\`file:\`, npm workspaces, \`npm link\`) are copied by value,
// which fails on the zod schemas. So each provider is a small object whose methods \`require\`
// the handler module by package name, at run time in the provider host: the serialized text
// is these two methods and the literal \`require\`, with no captured module, credential or
// client. The host calls \`configure\` first, once, on the object it deserialized
// (\`@pulumi/pulumi/cmd/dynamic-provider\`), so configure puts the handler module's functions
// (check, diff, create, read, update, delete) on the object; seven forwarding methods would
// serialize to more than the 2 KB the state may hold.

${objects.join("\n\n")}
`;
}

/** The file of a kind's handler module. */
export function handlerModulePath(kind: ResourceKind): string {
  return `provider/${kebabName(kind)}-handlers.ts`;
}
