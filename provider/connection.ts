import { UnauthorizedError } from "../core";
import { StoreClient } from "../client";
import type { ConfigLike } from "./results";

/** The store `imfed serve` listens on by default. */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:7430";

/** Where the provider finds the store: a client of it, and the reason its writes carry. */
export interface StoreConnection {
  /** A client of the store; throws when no token is configured. */
  client(): StoreClient;
  /** The reason recorded with every write (`X-Imfed-Reason`), if one is configured. */
  reason(): string | undefined;
}

/**
 * The provider's connection to the store, made in the provider host from the stack
 * configuration that `configure` receives (`imfed:endpoint`, the secret `imfed:token`, and
 * optionally `imfed:reason`), else from the environment (`IMFED_ENDPOINT`, `IMFED_TOKEN`,
 * `IMFED_REASON`). Nothing of it exists when the provider is serialized, so no credential
 * can be captured in the state.
 */
export class Connection implements StoreConnection {
  #config: ConfigLike | undefined;
  #client: StoreClient | undefined;

  /** Takes the stack configuration; called by the host before any other handler. */
  configure(config: ConfigLike): void {
    this.#config = config;
    this.#client = undefined;
  }

  client(): StoreClient {
    if (this.#client !== undefined) return this.#client;
    const endpoint = this.#setting("imfed:endpoint", "IMFED_ENDPOINT") ?? DEFAULT_ENDPOINT;
    const token = this.#setting("imfed:token", "IMFED_TOKEN");
    if (token === undefined) {
      throw new UnauthorizedError(
        `no token for the imfed store at ${endpoint}: run "pulumi config set --secret imfed:token <token>" ` +
          `(a token from "imfed token create"), or set IMFED_TOKEN`,
      );
    }
    this.#client = new StoreClient({ endpoint, token, client: "pulumi" });
    return this.#client;
  }

  reason(): string | undefined {
    return this.#setting("imfed:reason", "IMFED_REASON");
  }

  #setting(key: string, variable: string): string | undefined {
    let value: string | undefined;
    try {
      value = this.#config?.get(key);
    } catch {
      value = undefined;
    }
    if (value === undefined || value === "") value = process.env[variable];
    return value === undefined || value === "" ? undefined : value;
  }
}
