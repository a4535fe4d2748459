import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "../..");

/** The serialized providers, as the SDK's serializer writes them into each resource's state. */
export interface SerializedProviders {
  readonly imProviderProvider: string;
  readonly federationProvider: string;
  /** Every provider object `imfed/provider` exports, by its export name (`providerObjectOf(kind)`). */
  readonly [exportName: string]: string;
}

/**
 * A Pulumi project that depends on imfed the way the examples do: the package as `npm pack`
 * makes it (so only `files` and the `exports` map are visible), a real copy of
 * `@pulumi/pulumi`, and the other dependencies linked from the repository's node_modules.
 */
export interface ConsumerProject {
  readonly dir: string;
  /** The SDK's dynamic-provider host as the project has it. */
  readonly hostScript: string;
  /**
   * Serializes every provider object of `imfed/provider` in a Node process of the project (as a Pulumi program would,
   * with `pulumi.runtime.serializeFunction(() => provider, {allowSecrets: true})`).
   * `env` is added to the process's environment (e.g. a token, to show it is not captured).
   */
  serializeProviders(env?: Readonly<Record<string, string>>): SerializedProviders;
  /** Runs a script with `node` in the project folder; returns stdout, throws on failure. */
  run(script: string, args?: readonly string[], env?: Readonly<Record<string, string>>): string;
  remove(): void;
}

const SERIALIZE_SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const providers = require("imfed/provider");
(async () => {
  const out = {};
  for (const [name, provider] of Object.entries(providers)) {
    if (!name.endsWith("Provider") || typeof provider?.configure !== "function") continue;
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    out[name] = serialized.text;
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Options of {@link makeConsumerProject}. */
export interface ConsumerProjectOptions {
  /**
   * `"pack"` (default): imfed as `npm pack` makes it, copied into node_modules, as an install
   * from a registry. `"link"`: node_modules/imfed is a symbolic link to the repository, as npm
   * installs a `"file:../.."` dependency (the examples) or a workspace.
   */
  readonly install?: "pack" | "link";
}

/** Makes a consumer project in a new temporary folder. The repository must be built (`dist/`). */
export function makeConsumerProject(options: ConsumerProjectOptions = {}): ConsumerProject {
  const dir = mkdtempSync(path.join(tmpdir(), "pulumi-consumer-"));
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules);
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "imfed-consumer",
      private: true,
      dependencies: { imfed: "*", "@pulumi/pulumi": "*" },
    }),
  );
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: imfed-consumer\nruntime: nodejs\n");

  if (options.install === "link") symlinkSync(REPO_ROOT, path.join(modules, "imfed"));
  else packInto(path.join(modules, "imfed"), dir);

  // A real copy of the SDK, as an installed project has it.
  cpSync(path.join(REPO_ROOT, "node_modules/@pulumi"), path.join(modules, "@pulumi"), { recursive: true });
  for (const entry of readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (entry === "@pulumi" || entry === "imfed" || entry.startsWith(".")) continue;
    symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry));
  }

  const run = (script: string, args: readonly string[] = [], env: Readonly<Record<string, string>> = {}) => {
    const result = spawnSync(process.execPath, ["-e", script, ...args], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`node -e failed (${result.status}):\n${result.stderr}`);
    return result.stdout;
  };

  return {
    dir,
    hostScript: path.join(modules, "@pulumi/pulumi/cmd/dynamic-provider/index.js"),
    serializeProviders: (env = {}) => JSON.parse(run(SERIALIZE_SCRIPT, [], env)) as SerializedProviders,
    run,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Installs imfed as a registry install would: the files `npm pack` puts in the tarball. */
function packInto(target: string, scratch: string): void {
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const tarball = path.join(scratch, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
  mkdirSync(target);
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  rmSync(tarball);
}
