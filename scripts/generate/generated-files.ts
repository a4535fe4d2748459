import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as markdown from "prettier/plugins/markdown";
import * as estree from "prettier/plugins/estree";
import * as typescript from "prettier/plugins/typescript";
import * as prettier from "prettier/standalone";
import type { ResourceKind } from "../../core";
import { KINDS } from "../../core";
import { kebabName } from "./names";
import { handlerModule, handlerModulePath, resourceProvidersModule } from "./provider-modules";
import { referenceDoc } from "./reference";
import { sdkIndex, sdkModule } from "./sdk-module";

// The folder of imfed's package.json above this file, whether it runs from its source (jest) or
// compiled under node_modules/.cache (npm run generate).
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "imfed"
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of imfed above ${from}`);
  }
}

/** The repository's root. */
export const REPOSITORY_ROOT = repositoryRoot(__dirname);

/** One generated file: its path from the repository's root and its text. */
export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

// Formatted as `npm run lint` checks them, with the repository's prettier options. The
// standalone build of prettier is used because it runs where its main entry's dynamic imports
// cannot (jest without --experimental-vm-modules).
async function formatted(file: GeneratedFile): Promise<GeneratedFile> {
  const options = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, ".prettierrc.json"), "utf8")) as object;
  const markdownFile = file.path.endsWith(".md");
  const text = await prettier.format(file.text, {
    ...options,
    filepath: file.path,
    parser: markdownFile ? "markdown" : "typescript",
    plugins: markdownFile ? [markdown] : [typescript, estree],
  });
  return { path: file.path, text };
}

/**
 * Every file `npm run generate` writes, from the kinds: each kind's SDK module and handler
 * module, the SDK's index, the serializable provider objects and the field reference.
 */
export async function generatedFiles(kinds: readonly ResourceKind[] = KINDS): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [
    ...kinds.map((kind) => ({ path: `sdk/${kebabName(kind)}.ts`, text: sdkModule(kind) })),
    { path: "sdk/index.ts", text: sdkIndex(kinds) },
    ...kinds.map((kind) => ({ path: handlerModulePath(kind), text: handlerModule(kind) })),
    { path: "provider/resource-providers.ts", text: resourceProvidersModule(kinds) },
    { path: "docs/reference.md", text: referenceDoc(kinds) },
  ];
  return Promise.all(files.map(formatted));
}
