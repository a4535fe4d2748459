import * as pulumi from "@pulumi/pulumi";

/**
 * Refuses the `import` resource option on a resource of imfed, with a message that says why
 * and what to do instead. An import cannot work for a dynamic provider (pulumi/pulumi#16175):
 * the engine's import reads the resource with its id only (pkg/resource/deploy/step.go,
 * `ImportStep.Apply`), without the serialized provider that the SDK's provider host needs to
 * find the code (`__provider`), so the host fails before any code of imfed runs, with "code
 * must be a string, not undefined". The program is the only place where imfed can still say so.
 * @param type the resource's class, such as `ImProvider`
 * @param resourceName the Pulumi resource name
 * @param instead what to do instead, one sentence
 */
export function refuseImport(
  type: string,
  resourceName: string,
  opts: pulumi.CustomResourceOptions | undefined,
  instead: string,
): void {
  if (opts?.import === undefined) return;
  throw new pulumi.RunError(
    `${type} "${resourceName}": the "import" resource option does not work for Pulumi dynamic ` +
      `providers such as imfed's (pulumi/pulumi#16175): the engine reads the resource without its ` +
      `provider, and the provider host fails with "code must be a string, not undefined". ` +
      `Remove "import" (imported: ${JSON.stringify(opts.import)}). ${instead}`,
  );
}
