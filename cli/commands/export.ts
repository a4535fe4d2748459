import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Option } from "commander";
import type { Command } from "commander";
import { KINDS } from "../../core";
import type { ConnectionOptions } from "../connection";
import { clientOf, endpointForMessages, storeCommand } from "../connection";
import { CliError, EXIT } from "../exit-codes";
import { printJson, printNote } from "../output";
import type { KindObjects } from "./export-program";
import { exportProject } from "./export-program";

interface ExportOptions extends ConnectionOptions {
  readonly out: string;
  readonly stack: string;
  readonly project: string;
  readonly force?: boolean;
}

// Pulumi's rules for project and stack names: letters, digits, "-", "_" and "."
// (https://www.pulumi.com/docs/iac/concepts/projects/project-file/).
const PULUMI_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function pulumiName(flag: string): (value: string) => string {
  return (value) => {
    if (!PULUMI_NAME.test(value)) {
      throw new CliError(
        `${flag} "${value}" is not a valid Pulumi name: use 1 to 100 letters, digits, "-", "_" and "."`,
        EXIT.usage,
      );
    }
    return value;
  };
}

// The package's own manifest: the version the exported project depends on, and the range of
// @pulumi/pulumi imfed itself asks for.
function ownManifest(): { version: string; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
    version: string;
    peerDependencies?: Record<string, string>;
  };
}

/**
 * `imfed export [--out DIR] [--stack NAME] [--force]`: writes a Pulumi TypeScript project that
 * declares every object of every kind in the live store, to adopt the store into code. A folder
 * that holds anything is left alone unless `--force` is given.
 */
export function exportCommand(): Command {
  return storeCommand("export", "write a Pulumi program that declares every object of the store (adopts it)")
    .addOption(new Option("--out <dir>", "the folder to write the project into").default("imfed-export"))
    .addOption(
      new Option("--stack <name>", "the stack whose configuration is written (Pulumi.<name>.yaml)")
        .argParser(pulumiName("--stack"))
        .default("dev"),
    )
    .addOption(
      new Option("--project <name>", "the Pulumi project's name")
        .argParser(pulumiName("--project"))
        .default("imfed-topology"),
    )
    .addOption(
      new Option("--force", "write into a folder that is not empty (files of the same name are replaced)"),
    )
    .action(async (options: ExportOptions) => {
      const client = clientOf(options);
      const out = path.resolve(options.out);
      // Checked before the store is read, so a mistake costs no requests.
      refuseNonEmpty(out, options.force === true);
      const objects: KindObjects[] = [];
      for (const kind of KINDS) {
        const records =
          kind.singletonId === undefined ? await client.kind(kind).list() : [await client.kind(kind).get()];
        objects.push({ kind, records: records as KindObjects["records"] });
      }
      const manifest = ownManifest();
      const files = exportProject(objects, {
        endpoint: endpointForMessages(options.endpoint),
        stack: options.stack,
        project: options.project,
        imfedVersion: `^${manifest.version}`,
        pulumiVersion: manifest.peerDependencies?.["@pulumi/pulumi"] ?? "^3",
      });
      mkdirSync(out, { recursive: true });
      for (const [name, text] of files) writeFileSync(path.join(out, name), text);
      const counts = objects.map(({ kind, records }) => ({ kind: kind.name, objects: records.length }));
      if (options.json) return printJson({ out, files: [...files.keys()], kinds: counts });
      printNote(
        `imfed: wrote ${[...files.keys()].join(", ")} to ${out} (${counts
          .map((count) => `${count.objects} ${count.kind}`)
          .join(", ")}); next: cd ${options.out} && npm install && pulumi stack init ${options.stack}`,
      );
    });
}

function refuseNonEmpty(out: string, force: boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR")
      throw new CliError(`--out "${out}" is a file, not a folder: name a folder`, EXIT.usage);
    throw error;
  }
  if (entries.length > 0 && !force) {
    throw new CliError(
      `the folder "${out}" is not empty (${entries.length} entries): name a new or empty folder with --out, or pass --force to write into it`,
      EXIT.conflict,
    );
  }
}
