import { Command, Option } from "commander";
import type { ProviderKind, ProviderRecord, ProviderSpecInput, VerificationLevel } from "../../core";
import { NotFoundError, PreconditionFailedError, VERIFICATION_LEVEL_LABELS } from "../../core";
import type { ConnectionOptions, WriteFlags } from "../connection";
import { clientOf, parseBoolean, storeCommand, writeOf, writeOptions } from "../connection";
import { conditionalWrite } from "../conditional-write";
import { CliError, EXIT } from "../exit-codes";
import { paint, printFacts, printJson, printNote, printTable } from "../output";

const LEVELS = Object.keys(VERIFICATION_LEVEL_LABELS) as VerificationLevel[];

const levelOption = () =>
  new Option(
    "--verification-level <level>",
    "the filtering option: UseSourceVerification (verified by this provider), AlwaysUnverifiable (only users on recipients' contact lists) or AlwaysVerifiable (all communications)",
  ).choices(LEVELS);

interface HostedFlags {
  readonly sharedAddressSpace?: boolean;
  readonly hostsOcsUsers?: boolean;
  readonly isLocal?: boolean;
  readonly autodiscoverUrl?: string;
}

function addHostedOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--shared-address-space <bool>", "hosted only: EnabledSharedAddressSpace").argParser(
        parseBoolean("--shared-address-space"),
      ),
    )
    .addOption(
      new Option("--hosts-ocs-users <bool>", "hosted only: HostsOCSUsers").argParser(
        parseBoolean("--hosts-ocs-users"),
      ),
    )
    .addOption(new Option("--is-local <bool>", "hosted only: IsLocal").argParser(parseBoolean("--is-local")))
    .addOption(new Option("--autodiscover-url <url>", "hosted only: an https autodiscover URL"));
}

// The store's messages name API paths; the CLI names its own commands instead.
async function withProviderHints<T>(name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new CliError(
        `provider "${name}" not found; "imfed providers list" shows the providers`,
        EXIT.notFound,
      );
    }
    throw error;
  }
}

/** Prints a provider: JSON, or its settings one a line. */
export function printProvider(provider: ProviderRecord, json: boolean | undefined): void {
  if (json) return printJson(provider);
  const facts: [string, string][] = [
    ["Name", provider.name + (provider.builtIn ? " (built-in)" : "")],
    ["Kind", provider.kind],
    ["Access Edge (FQDN)", provider.proxyFqdn],
    [
      "Enabled",
      paint(provider.enabled ? "yes" : "no (communications blocked)", provider.enabled ? "green" : "red"),
    ],
    [
      "Filtering option",
      `${provider.verificationLevel}: ${VERIFICATION_LEVEL_LABELS[provider.verificationLevel]}`,
    ],
  ];
  if (provider.kind === "hosted") {
    facts.push(
      ["Shared address space", String(provider.enabledSharedAddressSpace)],
      ["Hosts OCS users", String(provider.hostsOcsUsers)],
      ["Is local", String(provider.isLocal)],
      ["Autodiscover URL", provider.autodiscoverUrl ?? "none"],
    );
  }
  facts.push(
    ["Revision", String(provider.revision)],
    ["Last changed", `${provider.updatedAt} by ${provider.updatedBy} via ${provider.updatedVia}`],
    ["Reason", provider.updateReason ?? "none given"],
  );
  printFacts(facts);
}

type ListOptions = ConnectionOptions & { readonly kind?: ProviderKind };
type CreateOptions = ConnectionOptions &
  WriteFlags &
  HostedFlags & {
    readonly kind: ProviderKind;
    readonly fqdn: string;
    readonly enable?: boolean;
    readonly verificationLevel?: VerificationLevel;
  };
type SetOptions = ConnectionOptions &
  WriteFlags &
  HostedFlags & {
    readonly enable?: boolean;
    readonly disable?: boolean;
    readonly verificationLevel?: VerificationLevel;
    readonly clearAutodiscoverUrl?: boolean;
  };
type WriteCommandOptions = ConnectionOptions & WriteFlags;

/** `imfed providers list|show|create|set|block|unblock|delete` against a running store. */
export function providersCommand(): Command {
  const providers = new Command("providers").description(
    "IM service providers of a running store (--endpoint, --token or IMFED_ENDPOINT, IMFED_TOKEN)",
  );

  providers.addCommand(
    storeCommand("list", "list the providers, sorted by name")
      .addOption(
        new Option("--kind <kind>", "only public or only hosted providers").choices(["public", "hosted"]),
      )
      .action(async (options: ListOptions) => {
        const items = await clientOf(options).listProviders(
          options.kind === undefined ? {} : { kind: options.kind },
        );
        if (options.json) return printJson({ items });
        printTable(items, [
          { heading: "NAME", cell: (p) => p.name },
          { heading: "KIND", cell: (p) => p.kind },
          { heading: "ACCESS EDGE", cell: (p) => p.proxyFqdn },
          {
            heading: "ENABLED",
            cell: (p) => (p.enabled ? "yes" : "no"),
            color: (p) => (p.enabled ? "green" : "red"),
          },
          { heading: "FILTERING", cell: (p) => p.verificationLevel },
          { heading: "LAST CHANGED", cell: (p) => `${p.updatedAt} ${p.updatedBy} via ${p.updatedVia}` },
          { heading: "REASON", cell: (p) => p.updateReason ?? "" },
        ]);
      }),
  );

  providers.addCommand(
    storeCommand("show", "show one provider (names are case-insensitive)")
      .argument("<name>", "the provider's name")
      .action(async (name: string, options: ConnectionOptions) => {
        const client = clientOf(options);
        printProvider(await withProviderHints(name, () => client.getProvider(name)), options.json);
      }),
  );

  providers.addCommand(
    addHostedOptions(
      writeOptions(
        storeCommand("create", "create a provider (it fails with exit 5 if the name exists)")
          .argument("<name>", "a unique name: letters, digits, spaces and . _ - ! ( )")
          .addOption(
            new Option("--kind <kind>", "public or hosted").choices(["public", "hosted"]).default("public"),
          )
          .addOption(
            new Option(
              "--fqdn <fqdn>",
              "the FQDN of the provider's Access Edge, such as sip.example.com",
            ).makeOptionMandatory(),
          )
          .addOption(
            new Option(
              "--enable",
              "enable communications with this provider (without it the provider is created not enabled, as New-CsPublicProvider does)",
            ),
          )
          .addOption(levelOption()),
        false,
      ),
    ).action(async (name: string, options: CreateOptions) => {
      const spec: Record<string, unknown> = {
        name,
        kind: options.kind,
        proxyFqdn: options.fqdn,
        enabled: options.enable === true,
      };
      if (options.verificationLevel !== undefined) spec.verificationLevel = options.verificationLevel;
      Object.assign(spec, hostedFieldsOf(options));
      let provider: ProviderRecord;
      try {
        ({ provider } = await clientOf(options).putProvider(name, spec as ProviderSpecInput, {
          ...writeOf(options),
          ifNoneMatch: true,
        }));
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
        throw new CliError(
          `provider "${name}" already exists (names are compared ignoring case); "imfed providers set" changes it, or "imfed providers delete" removes it first`,
          EXIT.conflict,
        );
      }
      if (!options.json) {
        printNote(
          `Created ${provider.kind} provider "${provider.name}"${provider.enabled ? "" : ' (not enabled: "imfed providers unblock" enables it)'}.`,
        );
      }
      printProvider(provider, options.json);
    }),
  );

  providers.addCommand(
    addHostedOptions(
      writeOptions(
        storeCommand("set", "change a provider's settings in place")
          .argument("<name>", "the provider's name")
          .addOption(new Option("--enable", "enable communications with this provider").conflicts("disable"))
          .addOption(new Option("--disable", "block communications with this provider (same as block)"))
          .addOption(levelOption())
          .addOption(new Option("--clear-autodiscover-url", "hosted only: remove the autodiscover URL")),
      ),
    ).action(async (name: string, options: SetOptions) => {
      const patch: Record<string, unknown> = hostedFieldsOf(options);
      if (options.enable) patch.enabled = true;
      if (options.disable) patch.enabled = false;
      if (options.verificationLevel !== undefined) patch.verificationLevel = options.verificationLevel;
      if (options.clearAutodiscoverUrl) patch.autodiscoverUrl = null;
      if (Object.keys(patch).length === 0) {
        throw new CliError(
          "nothing to change: give --enable, --disable, --verification-level or a hosted setting",
          EXIT.usage,
        );
      }
      const client = clientOf(options);
      const { saved: provider, changed } = await withProviderHints(name, () =>
        conditionalWrite(
          `provider "${name}"`,
          options,
          () => client.getProvider(name),
          (write) => client.patchProvider(name, patch, write),
        ),
      );
      if (!options.json) {
        const why = provider.updateReason === null ? "" : `; reason: ${provider.updateReason}`;
        printNote(
          changed
            ? `Saved provider "${provider.name}" (revision ${provider.revision}).`
            : `Nothing changed: provider "${provider.name}" already has these settings (revision ${provider.revision}, last changed at ${provider.updatedAt} by ${provider.updatedBy} via ${provider.updatedVia}${why}).`,
        );
      }
      printProvider(provider, options.json);
    }),
  );

  for (const [verb, enabled, description] of [
    ["block", false, 'block a provider at once: clear "Enable communications with this provider"'],
    ["unblock", true, "enable communications with a provider again"],
  ] as const) {
    providers.addCommand(
      writeOptions(storeCommand(verb, description).argument("<name>", "the provider's name")).action(
        async (name: string, options: WriteCommandOptions) => {
          const client = clientOf(options);
          const current = await withProviderHints(name, () => client.getProvider(name));
          if (current.enabled === enabled && options.ifRevision === undefined) {
            // Nothing to write (the store would record no change either): say since when and by whom.
            const why = current.updateReason === null ? "" : ` (reason: ${current.updateReason})`;
            if (!options.json) {
              printNote(
                `Provider "${current.name}" is already ${enabled ? "enabled" : "blocked"}: last changed at ${current.updatedAt} by ${current.updatedBy} via ${current.updatedVia}${why}. Nothing changed.`,
              );
            }
            return printProvider(current, options.json);
          }
          const provider = await withProviderHints(name, () =>
            client.patchProvider(name, { enabled }, writeOf(options)),
          );
          if (!options.json) {
            printNote(
              enabled
                ? `Enabled communications with provider "${provider.name}".`
                : `Blocked provider "${provider.name}": communications with it are refused at the edge.`,
            );
          }
          printProvider(provider, options.json);
        },
      ),
    );
  }

  providers.addCommand(
    writeOptions(
      storeCommand("delete", "remove a provider (a built-in too)").argument("<name>", "the provider's name"),
    ).action(async (name: string, options: WriteCommandOptions) => {
      const client = clientOf(options);
      await withProviderHints(name, () => client.deleteProvider(name, writeOf(options)));
      if (options.json) printJson({ deleted: name });
      else printNote(`Deleted provider "${name}".`);
    }),
  );

  return providers;
}

function hostedFieldsOf(options: HostedFlags): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (options.sharedAddressSpace !== undefined) fields.enabledSharedAddressSpace = options.sharedAddressSpace;
  if (options.hostsOcsUsers !== undefined) fields.hostsOcsUsers = options.hostsOcsUsers;
  if (options.isLocal !== undefined) fields.isLocal = options.isLocal;
  if (options.autodiscoverUrl !== undefined) fields.autodiscoverUrl = options.autodiscoverUrl;
  return fields;
}
