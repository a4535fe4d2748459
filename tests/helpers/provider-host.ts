import * as grpc from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";

// What the engine sends to a dynamic provider, read from pulumi/pulumi (pkg/resource/deploy and
// pkg/resource/plugin at the 2026 head) and from the SDK's host as installed
// (@pulumi/pulumi/cmd/dynamic-provider/index.js, 3.248), so that this harness sends the same:
//
// - Configure. deploy/target.go `GetPackageConfig` gives a dynamic provider package
//   (`pulumi-nodejs`) the *whole* stack configuration, every namespace, keys kept whole
//   (`imfed:token`), each value the config value's text, a secret marked secret; before 3.139
//   (pulumi/pulumi#17673) it kept only the provider's own namespace, with the namespace cut off.
//   deploy/default_providers.go `newRegisterDefaultProviderEvent` makes that map the inputs of
//   the default provider `pulumi:providers:pulumi-nodejs::default`, and
//   deploy/providers/registry.go `Create` configures the plugin with the URN, name, type and ID of
//   that provider resource (and `Same`, through deployment.go `EnsureProvider`, with the inputs
//   stored in the state, for a refresh or destroy that does not run the program).
//   plugin/provider_plugin.go `Configure` marshals the inputs into `args` keeping secrets wrapped
//   (the `4dabf181...` signature of runtime/rpc), builds the deprecated `variables` map keyed
//   `pulumi-nodejs:config:<key>` with secrets unwrapped, and sets acceptSecrets, acceptResources,
//   sendsOldInputs and sendsOldInputsToDelete. The host keeps `args` without `__provider`,
//   unwraps each top-level secret (`rpc.unwrapRpcSecret`), answers acceptSecrets false, and calls
//   the provider's `configure` lazily, in `getProvider`, the first time it deserializes a given
//   `__provider` text.
// - Check (deploy/step_generator.go): `olds` are the old *inputs* of the state (none for a new
//   resource), `news` the program's inputs.
// - Diff (plugin/provider_plugin.go `Diff`): `olds` the old outputs, `oldInputs` the old inputs,
//   `news` the checked inputs. The host reads only `olds` and `news` and answers only `changes`,
//   `replaces` and `deleteBeforeReplace`; it never treats a changed `__provider` as a replacement.
// - Because the host answers acceptSecrets false, plugin/provider_plugin.go marshals every later
//   call without secret wrappers (`KeepSecrets: protocol.acceptSecrets`).
// - Refresh (deploy/step.go `RefreshStep.Apply`): Read with the id, the old outputs as
//   `properties` and the old inputs as `inputs` (the host passes only the outputs to `read`);
//   then `diffResource` with the refreshed inputs and outputs in the place of the old ones and
//   the old inputs in the place of the new ones, and the result inverted (`DiffResult.Invert`,
//   plugin/provider.go, which keeps changes, replaces and deleteBeforeReplace and flips only the
//   detailed diff, which the Node host never sends).
// - Import (deploy/step.go `ImportStep.Apply`): Read with only the id, no properties and no
//   inputs. The host looks up `__provider` in the empty properties and fails in
//   `requireFromString` before any provider code runs (pulumi/pulumi#16175).

/** The key the engine uses for a secret-wrapped value, as `@pulumi/pulumi/runtime/rpc` defines it. */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The package of the Node.js dynamic providers, whose default provider the engine configures. */
const DYNAMIC_PACKAGE = "pulumi-nodejs";

type Props = Record<string, unknown>;

/** A configuration value marked secret, as `pulumi config set --secret` stores it and the engine sends it. */
export interface SecretConfigValue {
  readonly [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
  readonly value: string;
}

/** The stack configuration, as `pulumi config` holds it: `namespace:key` to its text, or a secret. */
export type StackConfig = Readonly<Record<string, string | SecretConfigValue>>;

/** A configuration value set as a secret (`pulumi config set --secret`). */
export function secret(value: string): SecretConfigValue {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

function isSecret(value: unknown): value is SecretConfigValue {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG
  );
}

/** Options of {@link ProviderHost.configure}. */
export interface ConfigureOptions {
  /**
   * Which engine sends the configuration: `"current"` (Pulumi CLI 3.139 and later, the default)
   * sends every namespace; `"before-3.139"` sends only the `pulumi-nodejs` namespace, without it,
   * as `GetPackageConfig` did before pulumi/pulumi#17673, so no `imfed:` key reaches the provider.
   */
  readonly engine?: "current" | "before-3.139";
  /** The stack's name in the default provider's URN; default `test`. */
  readonly stack?: string;
}

/** One check failure, as the engine receives it. */
export interface HostCheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** A diff, as the engine receives it. */
export interface HostDiff {
  readonly changes: "unknown" | "none" | "some";
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** A resource as the engine keeps it in the state: its id, its inputs and its outputs (each with `__provider`). */
export interface ResourceState {
  readonly urn: string;
  readonly id: string;
  readonly inputs: Props;
  readonly outputs: Props;
}

/** What a refresh did: the resource is gone, or its new state and the refresh's diff. */
export type RefreshResult =
  | { readonly deleted: true }
  | { readonly deleted: false; readonly state: ResourceState; readonly diff: HostDiff };

/**
 * The SDK's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) in a child
 * process, driven over gRPC the way the engine drives it: Configure first, then Check, Diff,
 * Create, Read, Update and Delete, each with the serialized provider in `__provider`.
 */
export interface ProviderHost {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything the host wrote to stdout and stderr so far (the engine shows stderr as diagnostics). */
  output(): string;
  /** Configure as the engine sends it for the stack configuration; returns what the host answered. */
  configure(config: StackConfig, options?: ConfigureOptions): Promise<{ acceptSecrets: boolean }>;
  /** Check; `olds` are the old inputs of the state (`{}` for a new resource). */
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: HostCheckFailure[] }>;
  diff(
    urn: string,
    id: string,
    request: { oldInputs: Props; oldOutputs: Props; newInputs: Props },
  ): Promise<HostDiff>;
  create(urn: string, inputs: Props): Promise<{ id: string; outputs: Props }>;
  /** Read as a refresh sends it: the id, the old outputs and the old inputs. */
  read(
    urn: string,
    id: string,
    request: { outputs: Props; inputs: Props },
  ): Promise<{ id: string; outputs: Props; inputs: Props | undefined }>;
  /** Read as an import sends it (the `import` resource option, `pulumi import`): only the id. */
  import(urn: string, id: string): Promise<{ id: string; outputs: Props; inputs: Props | undefined }>;
  /** A refresh as the engine does it: Read, then the inverted Diff of the refreshed state against the old inputs. */
  refresh(state: ResourceState): Promise<RefreshResult>;
  update(
    urn: string,
    id: string,
    request: { oldInputs: Props; oldOutputs: Props; newInputs: Props },
  ): Promise<{ outputs: Props }>;
  delete(urn: string, id: string, request: { outputs: Props; inputs: Props }): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startProviderHost}. */
export interface StartProviderHostOptions {
  /** The host script (`require.resolve("@pulumi/pulumi/cmd/dynamic-provider")` of the project). */
  readonly hostScript: string;
  /** The project folder: the engine starts the host there, and the serialized provider's `require`s resolve from it. */
  readonly cwd: string;
  /** `PULUMI_NODEJS_PROJECT`. */
  readonly project?: string;
  /**
   * The host's environment on top of this process's, whose `IMFED_*` variables are left out so
   * that a test sees only the settings it gives.
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** A URN of a resource of the given type token in the test stack. */
export function urnOf(type: string, name: string, project = "imfed-consumer", stack = "test"): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

function struct(value: Props): structProto.Struct {
  return structProto.Struct.fromJavaScript(
    JSON.parse(JSON.stringify(value)) as Record<string, structProto.JavaScriptValue>,
  );
}

function plain(value: structProto.Struct | undefined): Props {
  return (value?.toJavaScript() ?? {}) as Props;
}

// A value without its secret wrappers, as MarshalProperties sends it with KeepSecrets false.
function withoutSecrets(value: unknown): unknown {
  if (isSecret(value)) return withoutSecrets(value.value);
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutSecrets(item)]));
  }
  return value;
}

const CHANGES = ["unknown", "none", "some"] as const;

/** The configuration the engine's `GetPackageConfig` gives the `pulumi-nodejs` package (deploy/target.go). */
function packageConfig(config: StackConfig, engine: ConfigureOptions["engine"]): Props {
  const result: Props = {};
  for (const [key, value] of Object.entries(config)) {
    if (engine !== "before-3.139") {
      result[key] = value;
      continue;
    }
    const separator = key.indexOf(":");
    if (key.slice(0, separator) === DYNAMIC_PACKAGE) result[key.slice(separator + 1)] = value;
  }
  return result;
}

/** Starts the host and connects to the port it prints on its first stdout line. */
export async function startProviderHost(options: StartProviderHostOptions): Promise<ProviderHost> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("IMFED_")),
  );
  const child = spawn(process.execPath, [options.hostScript, "127.0.0.1:1"], {
    cwd: options.cwd,
    env: { ...inherited, PULUMI_NODEJS_PROJECT: options.project ?? "imfed-consumer", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    // A bound on a broken start, not a pace; a host that did not start is killed, so that it
    // holds no test run open.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the provider host did not start in 60 s:\n${output}`));
    }, 60_000);
    const onData = () => {
      const match = /^(\d+)\s*$/m.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on("data", onData);
    void exited.then(() => reject(new Error(`the provider host exited:\n${output}`)));
  });
  const client = new providerGrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  // What the host answered to Configure; until then, the engine would not call anything else.
  let acceptsSecrets = false;

  function call<Req, Res>(
    method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(client, request, (error, response) => {
        if (error) reject(new Error(error.details || error.message));
        else resolve(response);
      });
    });
  }

  // A property bag of a resource call, as plugin/provider_plugin.go marshals it for this host.
  function properties(value: Props): structProto.Struct {
    return struct(acceptsSecrets ? value : (withoutSecrets(value) as Props));
  }

  function typeOf(urn: string): string {
    return urn.split("::")[2] ?? "";
  }

  function nameOf(urn: string): string {
    return urn.split("::")[3] ?? "";
  }

  async function read(urn: string, id: string, state?: { outputs: Props; inputs: Props }) {
    const request = new providerProto.ReadRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setName(nameOf(urn));
    request.setType(typeOf(urn));
    // An import sends an empty property bag and no inputs (deploy/step.go `ImportStep.Apply`).
    request.setProperties(properties(state?.outputs ?? {}));
    if (state !== undefined) request.setInputs(properties(state.inputs));
    const response = await call<providerProto.ReadRequest, providerProto.ReadResponse>(client.read, request);
    return {
      id: response.getId(),
      outputs: plain(response.getProperties()),
      inputs: response.hasInputs() ? plain(response.getInputs()) : undefined,
    };
  }

  async function diff(
    urn: string,
    id: string,
    { oldInputs, oldOutputs, newInputs }: { oldInputs: Props; oldOutputs: Props; newInputs: Props },
  ): Promise<HostDiff> {
    const request = new providerProto.DiffRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setName(nameOf(urn));
    request.setType(typeOf(urn));
    request.setOldInputs(properties(oldInputs));
    request.setOlds(properties(oldOutputs));
    request.setNews(properties(newInputs));
    const response = await call<providerProto.DiffRequest, providerProto.DiffResponse>(client.diff, request);
    return {
      changes: CHANGES[response.getChanges()] ?? "unknown",
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  return {
    child,
    output: () => output,
    async configure(config, configureOptions = {}) {
      const stack = configureOptions.stack ?? "test";
      const inputs = packageConfig(config, configureOptions.engine);
      const request = new providerProto.ConfigureRequest();
      request.setArgs(struct(inputs));
      const variables = request.getVariablesMap();
      for (const [key, value] of Object.entries(inputs)) {
        variables.set(`${DYNAMIC_PACKAGE}:config:${key}`, String(withoutSecrets(value)));
      }
      const type = `pulumi:providers:${DYNAMIC_PACKAGE}`;
      request.setUrn(urnOf(type, "default", options.project ?? "imfed-consumer", stack));
      request.setName("default");
      request.setType(type);
      request.setId(randomUUID());
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      request.setSendsOldInputs(true);
      request.setSendsOldInputsToDelete(true);
      const response = await call<providerProto.ConfigureRequest, providerProto.ConfigureResponse>(
        client.configure,
        request,
      );
      acceptsSecrets = response.getAcceptsecrets();
      return { acceptSecrets: acceptsSecrets };
    },
    async check(urn, olds, news) {
      const request = new providerProto.CheckRequest();
      request.setUrn(urn);
      request.setName(nameOf(urn));
      request.setType(typeOf(urn));
      request.setOlds(properties(olds));
      request.setNews(properties(news));
      const response = await call<providerProto.CheckRequest, providerProto.CheckResponse>(
        client.check,
        request,
      );
      return {
        inputs: plain(response.getInputs()),
        failures: response
          .getFailuresList()
          .map((failure) => ({ property: failure.getProperty(), reason: failure.getReason() })),
      };
    },
    diff,
    async create(urn, inputs) {
      const request = new providerProto.CreateRequest();
      request.setUrn(urn);
      request.setName(nameOf(urn));
      request.setType(typeOf(urn));
      request.setProperties(properties(inputs));
      const response = await call<providerProto.CreateRequest, providerProto.CreateResponse>(
        client.create,
        request,
      );
      return { id: response.getId(), outputs: plain(response.getProperties()) };
    },
    read: (urn, id, state) => read(urn, id, state),
    import: (urn, id) => read(urn, id),
    async refresh(state) {
      const refreshed = await read(state.urn, state.id, state);
      if (refreshed.id === "") return { deleted: true };
      // Without inputs from the provider the engine keeps the old ones.
      const inputs = refreshed.inputs ?? state.inputs;
      const next: ResourceState = { urn: state.urn, id: refreshed.id, inputs, outputs: refreshed.outputs };
      // The refreshed state in the place of the old one, the old inputs in the place of the new
      // ones; the inverted result keeps changes, replaces and deleteBeforeReplace as they are.
      const inverted = await diff(state.urn, next.id, {
        oldInputs: next.inputs,
        oldOutputs: next.outputs,
        newInputs: state.inputs,
      });
      return { deleted: false, state: next, diff: inverted };
    },
    async update(urn, id, { oldInputs, oldOutputs, newInputs }) {
      const request = new providerProto.UpdateRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setName(nameOf(urn));
      request.setType(typeOf(urn));
      request.setOldInputs(properties(oldInputs));
      request.setOlds(properties(oldOutputs));
      request.setNews(properties(newInputs));
      const response = await call<providerProto.UpdateRequest, providerProto.UpdateResponse>(
        client.update,
        request,
      );
      return { outputs: plain(response.getProperties()) };
    },
    async delete(urn, id, { outputs, inputs }) {
      const request = new providerProto.DeleteRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setName(nameOf(urn));
      request.setType(typeOf(urn));
      request.setProperties(properties(outputs));
      request.setOldInputs(properties(inputs));
      await call(client.delete, request);
    },
    async stop() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
