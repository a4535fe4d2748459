import { createHash } from "node:crypto";
import type { ResourceKind } from "../../core";
import { compareNames } from "../../core";

type Bag = Readonly<Record<string, unknown>>;

/** The objects of one kind as the store lists them, for {@link exportProject}. */
export interface KindObjects {
  readonly kind: ResourceKind;
  readonly records: readonly Bag[];
}

/** What {@link exportProject} writes the project for. */
export interface ExportSettings {
  /** The store's URL, written as the stack's `imfed:endpoint` (never a token). */
  readonly endpoint: string;
  /** The stack whose configuration file is written (`Pulumi.<stack>.yaml`). */
  readonly stack: string;
  /** The Pulumi project's name (`Pulumi.yaml`, `package.json`). */
  readonly project: string;
  /** The version range of imfed the project depends on. */
  readonly imfedVersion: string;
  /** The version range of `@pulumi/pulumi` the project depends on (imfed's own peer range). */
  readonly pulumiVersion: string;
}

/** The input that makes an existing object of a collection kind be taken over on create. */
const ADOPT = "adopt";

/**
 * A valid and stable Pulumi resource name of an id: its ASCII letters and digits in lower case,
 * runs of anything else as one hyphen (`Yahoo!` is `yahoo`, `Fabrikam Hosted IM` is
 * `fabrikam-hosted-im`), or the kind's path when nothing is left.
 */
export function resourceNameOf(kind: ResourceKind, id: string): string {
  const slug = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? kind.path : slug;
}

/**
 * The resource names of a kind's objects, one per id. Ids whose names collide (`A.B` and `a-b`)
 * each get a suffix made of the hash of the id's key, so a name depends only on the ids that
 * collide with it, never on the order the store lists objects in.
 */
export function resourceNamesOf(kind: ResourceKind, ids: readonly string[]): Map<string, string> {
  const byName = new Map<string, string[]>();
  for (const id of ids) {
    const name = resourceNameOf(kind, id);
    byName.set(name, [...(byName.get(name) ?? []), id]);
  }
  const names = new Map<string, string>();
  for (const [name, holders] of byName) {
    for (const id of holders) {
      if (holders.length === 1) names.set(id, name);
      else {
        const key = kind.keyOf(id) ?? id;
        // Two ids that differ only in case are one object, so the key (not the id) is hashed;
        // distinct keys whose 8 hex digits also collide fall back to the whole digest.
        const digest = createHash("sha256").update(key).digest("hex");
        const short = `${name}-${digest.slice(0, 8)}`;
        const taken = holders.some(
          (other) =>
            other !== id &&
            createHash("sha256")
              .update(kind.keyOf(other) ?? other)
              .digest("hex")
              .slice(0, 8) === digest.slice(0, 8),
        );
        names.set(id, taken ? `${name}-${digest}` : short);
      }
    }
  }
  return names;
}

// Text fit for a `//` comment: one line, with every control, line or paragraph separator (which
// would end the comment and let a value write code) escaped as JSON escapes it.
function commentText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (char) =>
    char === "\t" ? " " : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

// A TypeScript literal of a value: JSON (a string's U+2028 and U+2029 escaped too, which JSON
// leaves as they are).
function literal(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

// A property name as written in an object literal: bare when it is an identifier.
function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : literal(name);
}

/** The comment that says who last changed an object, when, how and why. */
export function lastChangeComment(kind: ResourceKind, record: Bag): string[] {
  const id = kind.idOf(record);
  const builtIn = record.builtIn === true ? " (built-in)" : "";
  const lines = [
    `${kind.describe(id)}${builtIn}, revision ${String(record.revision)}:`,
    `last changed by ${String(record.updatedBy)} via ${String(record.updatedVia)} at ${String(record.updatedAt)}` +
      (typeof record.updateReason === "string" ? `: ${record.updateReason}` : " (no reason given)"),
  ];
  return lines.map((line) => `// ${commentText(line)}`);
}

// The declaration of one object: every field of its variant (a reviewer of the first program
// reads the whole of each object, and a later change of a default does not change what the
// program means), an absent optional field left out, and `adopt: true` for a collection kind.
function declaration(kind: ResourceKind, name: string, record: Bag): string {
  const spec = kind.specOf(record) as Bag;
  const lines = lastChangeComment(kind, record);
  lines.push(`new ${kind.name}(${literal(name)}, {`);
  for (const field of kind.fieldsOf(kind.variantOf(record))) {
    if (field in spec) lines.push(`  ${propertyName(field)}: ${literal(spec[field])},`);
  }
  if (kind.singletonId === undefined) lines.push(`  ${ADOPT}: true,`);
  lines.push("});");
  return lines.join("\n");
}

// The objects of a kind in a stable order: by key (ASCII case folded), then by id.
function sorted(kind: ResourceKind, records: readonly Bag[]): Bag[] {
  return [...records].sort((a, b) => compareNames(kind.idOf(a), kind.idOf(b)));
}

/** The program (`index.ts`) that declares every object of every kind, in the order of the kinds given. */
export function exportProgram(objects: readonly KindObjects[]): string {
  const used = objects.filter((entry) => entry.records.length > 0);
  const sections: string[] = [
    [
      "// Exported by `imfed export` from the live store: every object of every kind, each with",
      "// every setting the store holds. An object that exists is adopted on the first `pulumi up`",
      "// (a provider by `adopt: true`; the built-ins and the federation settings always are), so",
      "// the first update writes the same settings again and changes nothing else.",
      `import { ${used.map((entry) => entry.kind.name).join(", ")} } from "imfed";`,
    ].join("\n"),
  ];
  for (const { kind, records } of used) {
    const list = sorted(kind, records);
    const names = resourceNamesOf(
      kind,
      list.map((record) => kind.idOf(record)),
    );
    sections.push(`// ${kind.name}: ${commentText(kind.definition.title)} (${list.length})`);
    for (const record of list) {
      const id = kind.idOf(record);
      const name = kind.singletonId === undefined ? (names.get(id) ?? id) : kind.path;
      sections.push(declaration(kind, name, record));
    }
  }
  return `${sections.join("\n\n")}\n`;
}

/**
 * The files of a Pulumi TypeScript project that declares every object of the given kinds, by
 * file name: `index.ts`, `Pulumi.yaml`, `Pulumi.<stack>.yaml`, `package.json`, `tsconfig.json`
 * and `README.md`. The same objects give the same files, byte for byte.
 */
export function exportProject(
  objects: readonly KindObjects[],
  settings: ExportSettings,
): Map<string, string> {
  const files = new Map<string, string>();
  files.set("index.ts", exportProgram(objects));
  files.set(
    "Pulumi.yaml",
    [
      `name: ${settings.project}`,
      "description: The IM service providers and federation settings of a topology store, exported by imfed export.",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: true",
      "",
    ].join("\n"),
  );
  files.set(
    `Pulumi.${settings.stack}.yaml`,
    [
      "config:",
      "  # The store the program was exported from. Set the token with:",
      "  #   pulumi config set --secret imfed:token <token>",
      `  imfed:endpoint: ${literal(settings.endpoint)}`,
      "",
    ].join("\n"),
  );
  files.set(
    "package.json",
    `${JSON.stringify(
      {
        name: settings.project,
        private: true,
        main: "index.ts",
        dependencies: { "@pulumi/pulumi": settings.pulumiVersion, imfed: settings.imfedVersion },
        devDependencies: { "@types/node": "^20", typescript: "^5.9" },
      },
      null,
      2,
    )}\n`,
  );
  files.set(
    "tsconfig.json",
    `${JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "commonjs",
          moduleResolution: "node",
          esModuleInterop: true,
          skipLibCheck: true,
          useDefineForClassFields: false,
        },
        files: ["index.ts"],
      },
      null,
      2,
    )}\n`,
  );
  files.set("README.md", readme(settings));
  return files;
}

function readme(settings: ExportSettings): string {
  return `# ${settings.project}

A Pulumi program that declares every object of the topology store at ${settings.endpoint}, as
\`imfed export\` found it. Each declaration carries, in a comment, who changed the object last,
when, how and why.

## Adopt the store

1. \`npm install\`
2. \`pulumi stack init ${settings.stack}\` (the endpoint is already in \`Pulumi.${settings.stack}.yaml\`)
3. \`pulumi config set --secret imfed:token <token>\` (a token of the \`editor\` or \`admin\` role)
4. \`pulumi preview\`, then \`pulumi up\`: each object is created in the stack by adopting the
   one that exists (\`adopt: true\` on a provider; the built-in providers and the federation
   settings are always adopted). The settings written are the ones the store already holds.

From then on, change the settings here and run \`pulumi up\`; a change made elsewhere (the
Control Panel, the CLI) shows as drift in \`pulumi refresh\`.

Export again with \`imfed export --out <folder> --force\`: the same store gives the same files,
so a diff of two exports shows what changed in between.
`;
}
