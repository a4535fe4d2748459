import type { Command } from "commander";
import type { FieldNameOf, ResourceKind } from "../../../core";
import { findKind, federationKind } from "../../../core";
import type { ConnectionOptions, WriteFlags } from "../../connection";
import { storeCommand, writeOptions } from "../../connection";
import { patchAndReport } from "../kind-write";
import type { KindCliExtension } from "./cli-extension";

// The kind as the generic commands take it.
const kind: ResourceKind = findKind(federationKind.name);

// Federation for the organization (AllowFederatedUsers).
const ENABLED: FieldNameOf<typeof federationKind.definition> = "enabled";

// `imfed federation enable|disable`: the one setting that decides whether any provider setting
// is in effect, by a verb of its own.
function switchCommand(verb: "enable" | "disable", enabled: boolean): Command {
  return writeOptions(storeCommand(verb, `${verb} federation for the organization`)).action(
    async (options: ConnectionOptions & WriteFlags) => {
      const state = enabled ? "enabled" : "disabled";
      await patchAndReport(
        kind,
        federationCliExtension,
        undefined,
        options,
        { [ENABLED]: enabled },
        {
          saved: () => `Federation is ${state}.`,
          unchanged: () => `federation is already ${state}`,
        },
      );
    },
  );
}

/**
 * What `imfed federation` does beyond the definition of `Federation`: `enable` and `disable`,
 * and the Lync procedure's note that "the provider support that you configure is in effect only when you
 * have federation enabled for your organization", after the settings whenever it is disabled.
 */
export const federationCliExtension: KindCliExtension = {
  kind: federationKind.name,
  color: (field, value) =>
    field === ENABLED && typeof value === "boolean" ? (value ? "green" : "red") : undefined,
  notes: (record) =>
    record[ENABLED] === true
      ? []
      : [
          `note: federation is disabled, so no provider settings are in effect ("imfed ${kind.path} enable" turns it on)`,
        ],
  commands: () => [switchCommand("enable", true), switchCommand("disable", false)],
};
