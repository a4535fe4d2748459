import * as pulumi from "@pulumi/pulumi";
import type { ClientKind, ProviderKind, VerificationLevel } from "../core";
import { imProviderProvider } from "../provider";
import { refuseImport } from "./refuse-import";

/**
 * The arguments of an {@link ImProvider}: the settings of one IM service provider, each with
 * its Lync Server Control Panel label (Federation and External Access > SIP Federated
 * Providers) and its cmdlet parameter (New-/Set-CsPublicProvider, New-/Set-CsHostingProvider).
 */
export interface ImProviderArgs {
  /**
   * The provider's name, its Identity: Control Panel "Provider name", cmdlet `-Identity`. 1 to
   * 64 ASCII letters, digits, spaces and `. _ - ! ( )`; compared ignoring case. Cannot change
   * in place: a new name replaces the provider.
   */
  readonly name: pulumi.Input<string>;
  /**
   * `"public"` (Control Panel "Public provider", `New-CsPublicProvider`) or `"hosted"`
   * ("Hosted provider", `New-CsHostingProvider`). Cannot change in place.
   */
  readonly kind: pulumi.Input<ProviderKind>;
  /**
   * The FQDN of the provider's Access Edge: Control Panel "Access Edge (or FQDN)", cmdlet
   * `-ProxyFqdn`. Stored lower-case. Cannot change in place (Lync: remove and create again).
   */
  readonly proxyFqdn: pulumi.Input<string>;
  /**
   * Control Panel "Enable communications with this provider", cmdlet `-Enabled`. `false` is the
   * temporary block.
   */
  readonly enabled: pulumi.Input<boolean>;
  /**
   * The filtering option for incoming communications, cmdlet `-VerificationLevel`; the Control
   * Panel's "Default verification level":
   * - `"UseSourceVerification"` (the default): "Allow communications only with users verified by this provider";
   * - `"AlwaysUnverifiable"`: "Allow communications only with users on recipients' contact lists";
   * - `"AlwaysVerifiable"`: "Allow all communications with this provider".
   */
  readonly verificationLevel?: pulumi.Input<VerificationLevel>;
  /**
   * Hosted only: the provider shares the organization's SIP address space (split domain),
   * cmdlet `-EnabledSharedAddressSpace`. Default `false`; must be absent on a public provider.
   */
  readonly enabledSharedAddressSpace?: pulumi.Input<boolean>;
  /**
   * Hosted only: the provider hosts Lync / Office Communications Server users, cmdlet
   * `-HostsOCSUsers`. Default `false`; must be absent on a public provider.
   */
  readonly hostsOcsUsers?: pulumi.Input<boolean>;
  /**
   * Hosted only: the provider's servers are inside the organization's network, cmdlet
   * `-IsLocal`. Default `false`; must be absent on a public provider.
   */
  readonly isLocal?: pulumi.Input<boolean>;
  /**
   * Hosted only: the provider's Autodiscover service, an https URL, cmdlet `-AutodiscoverUrl`.
   */
  readonly autodiscoverUrl?: pulumi.Input<string>;
  /**
   * When `true`, creating this resource takes over an existing provider of the same name
   * (updating it to these settings) instead of failing. Built-in providers (`MSN`, `AOL`,
   * `Yahoo!`) are always adopted. This replaces `pulumi import`, which dynamic providers do
   * not support (pulumi/pulumi#16175). Default `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * An IM service provider in the topology store ("SIP Federated Providers" in the Control
 * Panel). Its id is its name. A built-in provider is adopted on create and restored to its
 * defaults (present, not enabled) on delete.
 *
 * ```ts
 * new ImProvider("yahoo", { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com",
 *   enabled: true, verificationLevel: "AlwaysUnverifiable" });
 * ```
 */
export class ImProvider extends pulumi.dynamic.Resource {
  /** The provider's name (Identity). */
  declare public readonly name: pulumi.Output<string>;
  /** `"public"` or `"hosted"`. */
  declare public readonly kind: pulumi.Output<ProviderKind>;
  /** The Access Edge FQDN, lower-case. */
  declare public readonly proxyFqdn: pulumi.Output<string>;
  /** "Enable communications with this provider". */
  declare public readonly enabled: pulumi.Output<boolean>;
  /** The filtering option for incoming communications. */
  declare public readonly verificationLevel: pulumi.Output<VerificationLevel>;
  /** Hosted only: `-EnabledSharedAddressSpace`. */
  declare public readonly enabledSharedAddressSpace: pulumi.Output<boolean | undefined>;
  /** Hosted only: `-HostsOCSUsers`. */
  declare public readonly hostsOcsUsers: pulumi.Output<boolean | undefined>;
  /** Hosted only: `-IsLocal`. */
  declare public readonly isLocal: pulumi.Output<boolean | undefined>;
  /** Hosted only: `-AutodiscoverUrl`, or `null`. */
  declare public readonly autodiscoverUrl: pulumi.Output<string | null | undefined>;
  /** Whether the provider is one of the built-ins (`MSN`, `AOL`, `Yahoo!`). */
  declare public readonly builtIn: pulumi.Output<boolean>;
  /** The store-wide change sequence number at the provider's last write. */
  declare public readonly revision: pulumi.Output<number>;
  /** When the provider was created (ISO 8601 UTC). */
  declare public readonly createdAt: pulumi.Output<string>;
  /** When the provider was last written (ISO 8601 UTC). */
  declare public readonly updatedAt: pulumi.Output<string>;
  /** Who last wrote it: the name of the token. */
  declare public readonly updatedBy: pulumi.Output<string>;
  /** How it was last written: `pulumi`, `cli`, `control-panel` or `api`. */
  declare public readonly updatedVia: pulumi.Output<ClientKind>;
  /** Why it was last written, or `null`. */
  declare public readonly updateReason: pulumi.Output<string | null>;

  /**
   * Declares an IM service provider.
   * @param resourceName the Pulumi resource name (not the provider's name, which is `args.name`)
   * @param args the provider's settings
   * @param opts resource options; `import` is refused (pulumi/pulumi#16175): use `adopt: true`
   */
  constructor(resourceName: string, args: ImProviderArgs, opts?: pulumi.CustomResourceOptions) {
    refuseImport(
      "ImProvider",
      resourceName,
      opts,
      `To bring an existing provider under this program, set "adopt: true" on the ImProvider: ` +
        `its create then takes the provider over and updates it to the declared settings ` +
        `(the built-ins MSN, AOL and Yahoo! are always adopted).`,
    );
    super(
      imProviderProvider,
      resourceName,
      {
        // Outputs that are not inputs are named with `undefined`, so the engine fills them.
        builtIn: undefined,
        revision: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        updatedBy: undefined,
        updatedVia: undefined,
        updateReason: undefined,
        ...args,
      },
      opts,
      "imfed",
      "ImProvider",
    );
  }
}
