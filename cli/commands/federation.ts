import { Command, Option } from "commander";
import type { FederationRecord } from "../../core";
import type { ConnectionOptions, WriteFlags } from "../connection";
import { clientOf, parseBoolean, storeCommand, writeOptions } from "../connection";
import { conditionalWrite } from "../conditional-write";
import { CliError, EXIT } from "../exit-codes";
import { paint, printFacts, printJson, printNote } from "../output";

const SETTINGS = [
  ["enabled", "--enabled <bool>", "federation for the organization (AllowFederatedUsers)"],
  ["partnerDiscovery", "--partner-discovery <bool>", "EnablePartnerDiscovery"],
  ["archivingDisclaimer", "--archiving-disclaimer <bool>", "EnableArchivingDisclaimer"],
  ["remoteUserAccess", "--remote-user-access <bool>", "AllowOutsideUsers"],
  ["anonymousUserAccess", "--anonymous-user-access <bool>", "AllowAnonymousUsers"],
] as const;

type SettingFlags = Partial<Record<(typeof SETTINGS)[number][0], boolean>>;

/** Prints the federation settings: JSON, or one a line with the seed's note when federation is off. */
function printFederation(federation: FederationRecord, json: boolean | undefined): void {
  if (json) return printJson(federation);
  printFacts([
    ["Federation", paint(federation.enabled ? "enabled" : "disabled", federation.enabled ? "green" : "red")],
    ["Partner discovery", String(federation.partnerDiscovery)],
    ["Archiving disclaimer", String(federation.archivingDisclaimer)],
    ["Remote user access", String(federation.remoteUserAccess)],
    ["Anonymous user access", String(federation.anonymousUserAccess)],
    ["Revision", String(federation.revision)],
    ["Last changed", `${federation.updatedAt} by ${federation.updatedBy} via ${federation.updatedVia}`],
    ["Reason", federation.updateReason ?? "none given"],
  ]);
  if (!federation.enabled) {
    printNote(
      'note: federation is disabled, so no provider settings are in effect ("imfed federation enable" turns it on)',
    );
  }
}

// The last write of the settings, for a note that says nothing changed and since when they are so.
function lastChange(federation: FederationRecord): string {
  const why = federation.updateReason === null ? "" : `; reason: ${federation.updateReason}`;
  return `revision ${federation.revision}, last changed at ${federation.updatedAt} by ${federation.updatedBy} via ${federation.updatedVia}${why}`;
}

// Writes a change of the settings and says what it did: saved, or nothing changed (the store
// answers a write that changes nothing at the same revision and records no audit entry).
async function writeFederation(
  options: ConnectionOptions & WriteFlags,
  patch: Readonly<Record<string, boolean>>,
  notes: { readonly saved: (saved: FederationRecord) => string; readonly unchanged: string },
): Promise<void> {
  const client = clientOf(options);
  const { saved, changed } = await conditionalWrite(
    "the federation settings",
    options,
    () => client.getFederation(),
    (write) => client.patchFederation(patch, write),
  );
  if (!options.json) {
    printNote(changed ? notes.saved(saved) : `Nothing changed: ${notes.unchanged} (${lastChange(saved)}).`);
  }
  printFederation(saved, options.json);
}

/** `imfed federation show|enable|disable|set` against a running store. */
export function federationCommand(): Command {
  const federation = new Command("federation").description(
    "the organization's federation settings of a running store; provider settings are in effect only while federation is enabled",
  );

  federation.addCommand(
    storeCommand("show", "show the federation settings").action(async (options: ConnectionOptions) => {
      printFederation(await clientOf(options).getFederation(), options.json);
    }),
  );

  for (const [verb, enabled] of [
    ["enable", true],
    ["disable", false],
  ] as const) {
    federation.addCommand(
      writeOptions(storeCommand(verb, `${verb} federation for the organization`)).action(
        async (options: ConnectionOptions & WriteFlags) => {
          const state = enabled ? "enabled" : "disabled";
          await writeFederation(
            options,
            { enabled },
            { saved: () => `Federation is ${state}.`, unchanged: `federation is already ${state}` },
          );
        },
      ),
    );
  }

  const set = writeOptions(storeCommand("set", "change some federation settings"));
  for (const [, flag, description] of SETTINGS) {
    set.addOption(
      new Option(flag, `${description}: true or false`).argParser(parseBoolean(flag.split(" ")[0] ?? flag)),
    );
  }
  federation.addCommand(
    set.action(async (options: ConnectionOptions & WriteFlags & SettingFlags) => {
      const patch: Record<string, boolean> = {};
      for (const [field] of SETTINGS) {
        const value = options[field];
        if (value !== undefined) patch[field] = value;
      }
      if (Object.keys(patch).length === 0) {
        throw new CliError(
          `nothing to change: give at least one of ${SETTINGS.map(([, flag]) => flag.split(" ")[0]).join(", ")}`,
          EXIT.usage,
        );
      }
      await writeFederation(options, patch, {
        saved: (saved) => `Saved the federation settings (revision ${saved.revision}).`,
        unchanged: "the federation settings already have these values",
      });
    }),
  );

  return federation;
}
