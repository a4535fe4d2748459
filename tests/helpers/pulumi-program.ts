import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "../..");

/** A Pulumi program in a temporary folder, with imfed and @pulumi linked as npm links a `file:` dependency. */
export interface PulumiProgram {
  readonly dir: string;
  /** Writes a file of the program (relative to its folder). */
  write(file: string, text: string): void;
  remove(): void;
}

/**
 * A copy of an example's program (examples/<name>: Pulumi.yaml, package.json, index.ts and any
 * stack file), or an empty program when `example` is undefined, whose node_modules has
 * `imfed` linked to the repository (built: `dist/`) and the repository's `@pulumi` packages,
 * as `npm install` in the example makes them.
 */
export function makePulumiProgram(example?: string): PulumiProgram {
  const dir = mkdtempSync(path.join(tmpdir(), "imfed-program-"));
  if (example !== undefined) {
    cpSync(path.join(REPO_ROOT, "examples", example), dir, {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  }
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "imfed"));
  symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"));
  return {
    dir,
    write(file, text) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
