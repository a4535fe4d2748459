import { Command, Option } from "commander";
import type { FederationRecord } from "../../core";
import type { ConnectionOptions, WriteFlags } from "../connection";
import { clientOf, parseBoolean, storeCommand, writeOf, writeOptions } from "../connection";
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
          const saved = await clientOf(options).patchFederation({ enabled }, writeOf(options));
          if (!options.json) printNote(`Federation is ${saved.enabled ? "enabled" : "disabled"}.`);
          printFederation(saved, options.json);
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
      const saved = await clientOf(options).patchFederation(patch, writeOf(options));
      if (!options.json) printNote(`Saved the federation settings (revision ${saved.revision}).`);
      printFederation(saved, options.json);
    }),
  );

  return federation;
}
