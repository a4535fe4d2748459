import * as pulumi from "@pulumi/pulumi";
import type { ClientKind } from "../core";
import { federationProvider } from "../provider";
import { refuseImport } from "./refuse-import";

/**
 * The arguments of a {@link Federation}: the organization's federation settings, each with its
 * Control Panel label (External Access > Access Edge Configuration) and its
 * `Set-CsAccessEdgeConfiguration` parameter. Settings left out take their defaults.
 */
export interface FederationArgs {
  /**
   * Federation for the organization: Control Panel "Enable communications with federated
   * users", cmdlet `-AllowFederatedUsers`. Provider settings are in effect only while it is
   * `true`. Default `false`.
   */
  readonly enabled?: pulumi.Input<boolean>;
  /** Control Panel "Enable partner domain discovery", cmdlet `-EnablePartnerDiscovery`. Default `false`. */
  readonly partnerDiscovery?: pulumi.Input<boolean>;
  /**
   * Control Panel "Send archiving disclaimer to federated partners", cmdlet
   * `-EnableArchivingDisclaimer`. Default `false`.
   */
  readonly archivingDisclaimer?: pulumi.Input<boolean>;
  /** Control Panel "Enable communications with remote users", cmdlet `-AllowOutsideUsers`. Default `true`. */
  readonly remoteUserAccess?: pulumi.Input<boolean>;
  /** Control Panel "Enable communications with anonymous users", cmdlet `-AllowAnonymousUsers`. Default `false`. */
  readonly anonymousUserAccess?: pulumi.Input<boolean>;
}

/**
 * The organization's federation settings: the store's single settings object, id `global`.
 * Create adopts it (sets it to the declared settings); delete restores the defaults
 * (federation off). Declare at most one per store.
 */
export class Federation extends pulumi.dynamic.Resource {
  /** AllowFederatedUsers. */
  declare public readonly enabled: pulumi.Output<boolean>;
  /** EnablePartnerDiscovery. */
  declare public readonly partnerDiscovery: pulumi.Output<boolean>;
  /** EnableArchivingDisclaimer. */
  declare public readonly archivingDisclaimer: pulumi.Output<boolean>;
  /** AllowOutsideUsers. */
  declare public readonly remoteUserAccess: pulumi.Output<boolean>;
  /** AllowAnonymousUsers. */
  declare public readonly anonymousUserAccess: pulumi.Output<boolean>;
  /** The store-wide change sequence number at the settings' last write. */
  declare public readonly revision: pulumi.Output<number>;
  /** When the settings were last written (ISO 8601 UTC). */
  declare public readonly updatedAt: pulumi.Output<string>;
  /** Who last wrote them: the name of the token. */
  declare public readonly updatedBy: pulumi.Output<string>;
  /** How they were last written. */
  declare public readonly updatedVia: pulumi.Output<ClientKind>;
  /** Why they were last written, or `null`. */
  declare public readonly updateReason: pulumi.Output<string | null>;

  /**
   * Declares the federation settings.
   * @param resourceName the Pulumi resource name
   * @param args the settings
   * @param opts resource options; `import` is refused (pulumi/pulumi#16175): create adopts the settings
   */
  constructor(resourceName: string, args: FederationArgs = {}, opts?: pulumi.CustomResourceOptions) {
    refuseImport(
      "Federation",
      resourceName,
      opts,
      `A Federation needs no import: its create always adopts the store's federation settings ` +
        `(as "adopt: true" does for an ImProvider) and updates them to the declared ones.`,
    );
    super(
      federationProvider,
      resourceName,
      {
        revision: undefined,
        updatedAt: undefined,
        updatedBy: undefined,
        updatedVia: undefined,
        updateReason: undefined,
        ...args,
      },
      opts,
      "imfed",
      "Federation",
    );
  }
}
