/**
 * `npm run generate`: writes the files derived from the resource kinds (`core/kinds/`): the
 * SDK's resource classes, the providers' handler modules and serializable objects, and the
 * field reference `docs/reference.md`. They are committed; `tests/unit/scripts/generated-files.test.ts`
 * fails when one is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPOSITORY_ROOT, generatedFiles } from "./generate/generated-files";

async function main(): Promise<void> {
  for (const file of await generatedFiles()) {
    const target = path.join(REPOSITORY_ROOT, file.path);
    let current: string | undefined;
    try {
      current = readFileSync(target, "utf8");
    } catch {
      current = undefined;
    }
    if (current === file.text) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text);
    process.stdout.write(`wrote ${file.path}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run generate failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
