import { ImfedError, UnauthorizedError } from "../core";
import { DEFAULT_ENDPOINT, KindClient, StoreClient, StoreUnavailableError } from "../client";
import type { ConfigLike } from "./results";

/**
 * The first Pulumi CLI whose engine passes the stack's `imfed:*` configuration to a dynamic
 * provider: before it, `GetPackageConfig` (pkg/resource/deploy/target.go) gave the
 * `pulumi-nodejs` provider only the `pulumi-nodejs:` namespace (pulumi/pulumi#17673, #17697).
 */
const MIN_PULUMI_CLI_FOR_CONFIG = "3.139";

/** Where the provider finds the store: a client of it, and the reason its writes carry. */
export interface StoreConnection {
  /** A client of the store; throws when the settings do not say which store, or give no token. */
  client(): StoreClient;
  /** The reason recorded with every write (`X-Imfed-Reason`), if one is configured. */
  reason(): string | undefined;
}

/** One connection setting: its stack configuration key and its environment variable. */
interface SettingName {
  readonly key: string;
  readonly variable: string;
}

const ENDPOINT: SettingName = { key: "imfed:endpoint", variable: "IMFED_ENDPOINT" };
const TOKEN: SettingName = { key: "imfed:token", variable: "IMFED_TOKEN" };
const REASON: SettingName = { key: "imfed:reason", variable: "IMFED_REASON" };

/** A setting's value and where it came from: its configuration key, its variable, or nowhere. */
interface Setting {
  readonly value: string | undefined;
  readonly source: string | undefined;
}

/** The settings the client was made from, for the messages of its failures. */
interface Settings {
  readonly endpoint: string;
  readonly endpointSource: string | undefined;
  readonly tokenSource: string;
  /** Whether any `imfed:` key reached `configure`. */
  readonly configReached: boolean;
}

const NO_CONFIG =
  `no imfed configuration reached the provider (the engine passed no imfed:endpoint, imfed:token ` +
  `or imfed:reason); Pulumi CLI ${MIN_PULUMI_CLI_FOR_CONFIG} or later passes the stack's imfed:* ` +
  `configuration to dynamic providers ("pulumi version" shows yours)`;

const NO_ENDPOINT = `neither ${ENDPOINT.key} nor ${ENDPOINT.variable} is set`;

// The engine keeps the stack configuration it configured the provider with as the inputs of the
// stack's default `pulumi-nodejs` provider (pkg/resource/deploy/default_providers.go), and a
// refresh or destroy that does not run the program configures the provider from those inputs
// (deploy/deployment.go `EnsureProvider`, deploy/providers/registry.go `Same`; pulumi/pulumi#18756).
const STATE_CONFIG =
  `Note that "pulumi refresh" and "pulumi destroy" use the configuration stored in the state at the last ` +
  `"pulumi up", not the current stack configuration (pulumi/pulumi#18756): after rotating the token, ` +
  `run "pulumi up" (or add --run-program to refresh or destroy) before revoking the old token`;

/**
 * The provider's connection to the store, made in the provider host from the stack
 * configuration that `configure` receives (`imfed:endpoint`, the secret `imfed:token`, and
 * optionally `imfed:reason`), else from the environment (`IMFED_ENDPOINT`, `IMFED_TOKEN`,
 * `IMFED_REASON`). Nothing of it exists when the provider is serialized, so no credential
 * can be captured in the state.
 *
 * The default endpoint is never used silently: when no `imfed:` key reached the provider (a
 * Pulumi CLI older than 3.139 drops them all) and no `IMFED_ENDPOINT` names the store, it
 * refuses, because a stack's `imfed:endpoint` may have been dropped and the default would be
 * another store; when the configuration did arrive without an endpoint, it warns once on the
 * host's stderr, which the engine shows as a diagnostic. A 401 or an unreachable store fails
 * with a message that says where the endpoint and the token came from and what to do.
 */
export class Connection implements StoreConnection {
  #config: ConfigLike | undefined;
  #client: StoreClient | undefined;
  #warnedOfDefault = false;
  readonly #warn: (message: string) => void;

  /** @param warn where a warning goes; default the host's stderr. */
  constructor(warn: (message: string) => void = (message) => console.warn(message)) {
    this.#warn = warn;
  }

  /** Takes the stack configuration; called by the host before any other handler. */
  configure(config: ConfigLike): void {
    this.#config = config;
    this.#client = undefined;
  }

  client(): StoreClient {
    if (this.#client !== undefined) return this.#client;
    const endpoint = this.#setting(ENDPOINT);
    const token = this.#setting(TOKEN);
    const configReached = [ENDPOINT, TOKEN, REASON].some((name) => this.#fromConfig(name) !== undefined);
    const settings: Settings = {
      endpoint: endpoint.value ?? DEFAULT_ENDPOINT,
      endpointSource: endpoint.source,
      tokenSource: token.source ?? "",
      configReached,
    };
    if (token.value === undefined) {
      throw new UnauthorizedError(
        configReached
          ? `no token for the imfed store at ${settings.endpoint}: run "pulumi config set --secret ${TOKEN.key} <token>" ` +
              `(a token from "imfed token create"), or set ${TOKEN.variable}`
          : `no token for the imfed store: ${NO_CONFIG}. Upgrade the CLI, or set ${ENDPOINT.variable} and ` +
              `${TOKEN.variable} in the environment of "pulumi" instead.`,
      );
    }
    if (endpoint.value === undefined && !configReached) {
      throw new ImfedError(
        "bad_request",
        `refusing to use the default imfed store endpoint ${DEFAULT_ENDPOINT}: the token came from ` +
          `${token.source} but nothing names the store, and a stack's ${ENDPOINT.key} may have been ` +
          `dropped on the way: ${NO_CONFIG}. Upgrade the CLI, or set ${ENDPOINT.variable} too ` +
          `(${ENDPOINT.variable}=${DEFAULT_ENDPOINT} for "imfed serve" on this machine).`,
      );
    }
    if (endpoint.value === undefined && !this.#warnedOfDefault) {
      this.#warnedOfDefault = true;
      this.#warn(
        `imfed: ${NO_ENDPOINT}: using the default store endpoint ${DEFAULT_ENDPOINT} ("imfed serve" on ` +
          `this machine); for a store elsewhere run "pulumi config set ${ENDPOINT.key} <url>"`,
      );
    }
    let client: StoreClient;
    try {
      client = new StoreClient({ endpoint: settings.endpoint, token: token.value, client: "pulumi" });
    } catch (error) {
      throw explain(error, settings);
    }
    this.#client = withExplainedFailures(client, settings);
    return this.#client;
  }

  reason(): string | undefined {
    return this.#setting(REASON).value;
  }

  #fromConfig(name: SettingName): string | undefined {
    let value: string | undefined;
    try {
      value = this.#config?.get(name.key);
    } catch {
      value = undefined;
    }
    return value === undefined || value === "" ? undefined : value;
  }

  #setting(name: SettingName): Setting {
    const configured = this.#fromConfig(name);
    if (configured !== undefined) return { value: configured, source: name.key };
    const variable = process.env[name.variable];
    if (variable !== undefined && variable !== "") return { value: variable, source: name.variable };
    return { value: undefined, source: undefined };
  }
}

// Where the settings came from, for a failure's message; the token itself never appears.
function provenance(settings: Settings): string {
  const endpoint =
    settings.endpointSource === undefined
      ? `the default endpoint, as ${NO_ENDPOINT} (run "pulumi config set ${ENDPOINT.key} <url>" if the store is elsewhere)`
      : `the endpoint from ${settings.endpointSource}`;
  const note = settings.configReached ? "" : `; ${NO_CONFIG}`;
  return `${endpoint} and the token from ${settings.tokenSource}${note}`;
}

/** The error a handler reports for a failure of the store: a 401 or an unreachable store, explained. */
function explain(error: unknown, settings: Settings): unknown {
  if (error instanceof UnauthorizedError) {
    const next =
      settings.tokenSource === TOKEN.key
        ? STATE_CONFIG
        : `Check ${TOKEN.variable} ("imfed token list" on the store shows its tokens)`;
    return new UnauthorizedError(
      `the imfed store at ${settings.endpoint} refused the token: ${error.message}. ` +
        `The provider used ${provenance(settings)}. ${next}.`,
    );
  }
  if (error instanceof StoreUnavailableError) {
    return new StoreUnavailableError(
      `${error.message}. The provider used ${provenance(settings)}.`,
      error.status,
    );
  }
  return error;
}

// The client with every failure of its methods explained, and of the methods of the client of
// each kind it hands out (`kind(kind)`). A proxy rather than a subclass or a wrapper per method,
// so that every call of every resource kind gets it, the reader's included.
function withExplainedFailures<T extends object>(client: T, settings: Settings): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = (value as (...parameters: unknown[]) => unknown).apply(target, args);
        if (result instanceof KindClient) return withExplainedFailures(result, settings);
        return result instanceof Promise
          ? result.catch((error: unknown) => {
              throw explain(error, settings);
            })
          : result;
      };
    },
  });
}
