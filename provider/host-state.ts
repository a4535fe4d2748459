import { Connection } from "./connection";
import { FederationProvider } from "./federation-provider";
import { ImProviderProvider } from "./im-provider-provider";

/**
 * The provider host's connection to the store and its two providers, shared by the handler
 * modules. Made when the host first loads a handler module; the connection gets its settings
 * from `configure`, so nothing of it exists where the provider is serialized.
 */
export const connection = new Connection();

/** The host's `ImProvider` provider. */
export const imProvider = new ImProviderProvider(connection);

/** The host's `Federation` provider. */
export const federation = new FederationProvider(connection);
