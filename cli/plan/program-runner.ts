// The child process of `imfed plan` that runs a Pulumi program under the SDK's mocks: started
// by `evaluateProgram` (program-evaluation.ts) in the program's folder, it loads the program's
// OWN @pulumi/pulumi (so `setMocks` reaches the runtime the program's resources register with),
// compiles TypeScript with TypeScript's `transpileModule` as each file is required (no type
// check: the plan reads what the program declares, `tsc` judges its types), and sends back every
// resource whose type token is an imfed kind's, with its inputs. Every other resource is mocked:
// its outputs are its inputs, and no provider, backend or cloud is reached.
import { readFileSync } from "node:fs";
import Module from "node:module";
import ts from "typescript";
import { KINDS } from "../../core";
import { PROVIDER_KEY, UNKNOWN } from "../../provider/results";

/** What the runner sends its parent: the imfed resources declared, or why the program failed. */
export type RunnerMessage =
  | { readonly ok: true; readonly resources: DeclaredResource[]; readonly maxRssKb: number }
  | { readonly ok: false; readonly error: string };

/** One imfed resource a program declares: its type token, its Pulumi name and its inputs. */
export interface DeclaredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

// The key and signature of a secret-wrapped value (`@pulumi/pulumi/runtime/rpc`).
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Extensions = Record<string, (module: Module, filename: string) => void>;

function installTypeScript(): void {
  const extensions = (Module as unknown as { _extensions: Extensions })._extensions;
  extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        inlineSourceMap: true,
      },
    });
    (module as unknown as { _compile(code: string, file: string): void })._compile(outputText, filename);
  };
}

// Plain JSON of a mocked input: a secret unwrapped (the plan shows settings, not state), and a
// value that is not known during a preview (an output of another resource) as the engine's
// marker of an unknown, which the provider's check and diff understand.
function plain(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : UNKNOWN;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SPECIAL_SIG_KEY] === SECRET_SIG) return plain(record.value);
    if (Object.getPrototypeOf(value) !== Object.prototype) return UNKNOWN;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      if (key === PROVIDER_KEY) continue;
      const converted = plain(item);
      if (converted !== undefined) result[key] = converted;
    }
    return result;
  }
  return UNKNOWN;
}

interface PulumiRuntime {
  runtime: {
    setMocks(mocks: object, project: string, stack: string, preview: boolean): Promise<void>;
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
    disconnect(): Promise<void>;
  };
}

async function run(): Promise<DeclaredResource[]> {
  const dir = process.cwd();
  const main = process.env.IMFED_PLAN_MAIN ?? dir;
  const project = process.env.IMFED_PLAN_PROJECT ?? "project";
  const stack = process.env.IMFED_PLAN_STACK ?? "dev";
  installTypeScript();
  let pulumiPath: string;
  try {
    pulumiPath = require.resolve("@pulumi/pulumi", { paths: [dir] });
  } catch {
    throw new Error(`the program in ${dir} has no @pulumi/pulumi installed: run "npm install" there first`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own copy, found at run time
  const pulumi = require(pulumiPath) as PulumiRuntime;
  const tokens = new Set(KINDS.map((kind) => kind.typeToken));
  const resources: DeclaredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args: { type: string; name: string; inputs: Record<string, unknown> }) {
        if (tokens.has(args.type)) {
          resources.push({
            type: args.type,
            name: args.name,
            inputs: plain(args.inputs) as Record<string, unknown>,
          });
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args: { inputs: Record<string, unknown> }) {
        return args.inputs;
      },
    },
    project,
    stack,
    true,
  );
  // As the Pulumi language host runs a program: inside the stack resource, which waits for every
  // registration the program started; a default export that is a function is called and awaited.
  await pulumi.runtime.runInPulumiStack(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program, loaded after setMocks as the engine loads it
    const loaded = require(require.resolve(main)) as unknown;
    const entry = typeof loaded === "function" ? loaded : (loaded as { default?: unknown } | null)?.default;
    return typeof entry === "function" ? await (entry as () => unknown)() : loaded;
  });
  // The stack waits only for the outputs it exports; a resource nothing depends on may still be
  // on its way to the mocks. The language host drains the queue of registrations the same way.
  await pulumi.runtime.disconnect();
  return resources;
}

function send(message: RunnerMessage): void {
  process.send?.(message, () => process.exit(0));
}

run().then(
  (resources) => send({ ok: true, resources, maxRssKb: process.resourceUsage().maxRSS }),
  (error: unknown) =>
    send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
