import * as grpc from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";

/** The key the engine uses for a secret-wrapped value, as `@pulumi/pulumi/runtime/rpc` defines it. */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Props = Record<string, unknown>;

/** A configuration value sent as a secret, as the engine sends `pulumi config set --secret` values. */
export function secret(value: string): Props {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
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

/**
 * The SDK's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) in a child
 * process, driven over gRPC the way the engine drives it: Configure first, then Check, Diff,
 * Create, Read, Update and Delete, each with the serialized provider in `__provider`.
 */
export interface ProviderHost {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything the host wrote to stdout and stderr so far. */
  output(): string;
  configure(config: Readonly<Record<string, unknown>>): Promise<void>;
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: HostCheckFailure[] }>;
  diff(id: string, urn: string, olds: Props, news: Props): Promise<HostDiff>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(
    id: string,
    urn: string,
    properties: Props,
    inputs?: Props,
  ): Promise<{ id: string; properties: Props; inputs: Props | undefined }>;
  update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(id: string, urn: string, properties: Props): Promise<void>;
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
  readonly env?: Readonly<Record<string, string>>;
}

/** A URN of a resource of the given type token in the test stack. */
export function urnOf(type: string, name: string, project = "imfed-consumer"): string {
  return `urn:pulumi:test::${project}::${type}::${name}`;
}

function struct(value: Props): structProto.Struct {
  return structProto.Struct.fromJavaScript(
    JSON.parse(JSON.stringify(value)) as Record<string, structProto.JavaScriptValue>,
  );
}

function plain(value: structProto.Struct | undefined): Props {
  return (value?.toJavaScript() ?? {}) as Props;
}

const CHANGES = ["unknown", "none", "some"] as const;

/** Starts the host and connects to the port it prints on its first stdout line. */
export async function startProviderHost(options: StartProviderHostOptions): Promise<ProviderHost> {
  const child = spawn(process.execPath, [options.hostScript, "127.0.0.1:1"], {
    cwd: options.cwd,
    env: { ...process.env, PULUMI_NODEJS_PROJECT: options.project ?? "imfed-consumer", ...options.env },
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

  return {
    child,
    output: () => output,
    async configure(config) {
      const request = new providerProto.ConfigureRequest();
      request.setArgs(struct({ ...config }));
      request.setAcceptsecrets(true);
      await call(client.configure, request);
    },
    async check(urn, olds, news) {
      const request = new providerProto.CheckRequest();
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
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
    async diff(id, urn, olds, news) {
      const request = new providerProto.DiffRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call<providerProto.DiffRequest, providerProto.DiffResponse>(
        client.diff,
        request,
      );
      return {
        changes: CHANGES[response.getChanges()] ?? "unknown",
        replaces: response.getReplacesList(),
        deleteBeforeReplace: response.getDeletebeforereplace(),
      };
    },
    async create(urn, properties) {
      const request = new providerProto.CreateRequest();
      request.setUrn(urn);
      request.setProperties(struct(properties));
      const response = await call<providerProto.CreateRequest, providerProto.CreateResponse>(
        client.create,
        request,
      );
      return { id: response.getId(), properties: plain(response.getProperties()) };
    },
    async read(id, urn, properties, inputs) {
      const request = new providerProto.ReadRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setProperties(struct(properties));
      if (inputs !== undefined) request.setInputs(struct(inputs));
      const response = await call<providerProto.ReadRequest, providerProto.ReadResponse>(
        client.read,
        request,
      );
      return {
        id: response.getId(),
        properties: plain(response.getProperties()),
        inputs: response.hasInputs() ? plain(response.getInputs()) : undefined,
      };
    },
    async update(id, urn, olds, news) {
      const request = new providerProto.UpdateRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call<providerProto.UpdateRequest, providerProto.UpdateResponse>(
        client.update,
        request,
      );
      return { properties: plain(response.getProperties()) };
    },
    async delete(id, urn, properties) {
      const request = new providerProto.DeleteRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setProperties(struct(properties));
      await call(client.delete, request);
    },
    async stop() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
