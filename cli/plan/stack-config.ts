import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { CliError, EXIT } from "../exit-codes";

/** The Pulumi project of a program folder, as `imfed plan` runs it. */
export interface ProgramProject {
  /** The program's folder (absolute). */
  readonly dir: string;
  /** The project's name (`name` of Pulumi.yaml). */
  readonly project: string;
  /** The stack whose configuration is used. */
  readonly stack: string;
  /** The module the engine would load: Pulumi.yaml's `main`, else the folder (its package.json `main`). */
  readonly main: string;
  /** The configuration as Pulumi passes it to a program (`PULUMI_CONFIG`): `namespace:key` to its text. */
  readonly config: Readonly<Record<string, string>>;
  /** The keys of secure values, which `imfed plan` cannot decrypt: each holds {@link secretPlaceholder}. */
  readonly secretKeys: readonly string[];
}

/**
 * The value a program reads for a secret configuration value: `imfed plan` has no passphrase or
 * secrets provider, so it never decrypts one. The plan fails, naming the key, if this text
 * reaches an imfed resource's inputs; a secret read for anything else (such as the token of
 * imfed's own provider, which the plan does not run) does not matter.
 */
export function secretPlaceholder(key: string): string {
  return `[secret ${key}: not decrypted by imfed plan]`;
}

/** The pattern of {@link secretPlaceholder}, to find it in inputs. */
export const SECRET_PLACEHOLDER = /\[secret ([^\]]+): not decrypted by imfed plan\]/;

type Yaml = Record<string, unknown>;

function readYaml(file: string): Yaml {
  let parsed: unknown;
  try {
    parsed = load(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}; fix the YAML and run imfed plan again`,
    );
  }
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CliError(`${file} must hold a YAML mapping; fix it and run imfed plan again`);
  }
  return parsed as Yaml;
}

// Pulumi's rule: a key without a namespace belongs to the project's own namespace.
function fullKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

// A plain value as Pulumi passes it: a string as it is, anything else as JSON.
function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}

// The stack named, or the only stack file of the folder; none means the project's defaults alone.
function stackOf(dir: string, named: string | undefined): string {
  if (named !== undefined) return named;
  const stacks = readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined);
  if (stacks.length === 1) return stacks[0] as string;
  if (stacks.length === 0) return "dev";
  throw new CliError(
    `${dir} has the stacks ${stacks.map((stack) => `"${stack}"`).join(", ")}: say which with --stack NAME`,
    EXIT.usage,
  );
}

/**
 * Reads a Pulumi program's project (Pulumi.yaml) and its stack's configuration
 * (Pulumi.<stack>.yaml, over the project's `config` defaults), as the Pulumi CLI passes them to
 * the program: every value as text, a secure value as {@link secretPlaceholder}.
 */
export function readProgramProject(dirArgument: string, stackArgument: string | undefined): ProgramProject {
  const dir = path.resolve(dirArgument);
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((file) => path.join(dir, file)).find(existsSync);
  if (projectFile === undefined) {
    throw new CliError(
      `no Pulumi.yaml in ${dir}: give imfed plan the folder of a Pulumi program (imfed plan PROGRAM_DIR)`,
      EXIT.usage,
    );
  }
  const manifest = readYaml(projectFile);
  const project = typeof manifest.name === "string" ? manifest.name : path.basename(dir);
  const stack = stackOf(dir, stackArgument);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const set = (key: string, value: unknown) => {
    const full = fullKey(project, key);
    if (isSecure(value)) {
      config[full] = secretPlaceholder(full);
      if (!secretKeys.includes(full)) secretKeys.push(full);
      return;
    }
    config[full] = textOf(value);
    const at = secretKeys.indexOf(full);
    if (at !== -1) secretKeys.splice(at, 1);
  };
  // Project-level defaults: `key: value` or `key: {value: ..., type: ..., secret: ...}`.
  const defaults = (manifest.config ?? {}) as Yaml;
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      if ("value" in value) set(key, (value as Yaml).value);
      else if ("default" in value) set(key, (value as Yaml).default);
    } else set(key, value);
  }
  const stackFile = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`]
    .map((file) => path.join(dir, file))
    .find(existsSync);
  if (stackFile === undefined && stackArgument !== undefined) {
    throw new CliError(`no Pulumi.${stack}.yaml in ${dir}: is "${stack}" the stack's name?`, EXIT.usage);
  }
  if (stackFile !== undefined) {
    const stackConfig = (readYaml(stackFile).config ?? {}) as Yaml;
    for (const [key, value] of Object.entries(stackConfig)) set(key, value);
  }
  const main = typeof manifest.main === "string" ? path.resolve(dir, manifest.main) : dir;
  return { dir, project, stack, main, config, secretKeys };
}
