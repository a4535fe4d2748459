import type { Command } from "commander";
import type { FieldNameOf, ResourceKind } from "../../../core";
import { findKind, imProviderKind } from "../../../core";
import type { ConnectionOptions, WriteFlags } from "../../connection";
import { clientOf, storeCommand, writeOf, writeOptions } from "../../connection";
import { printNote } from "../../output";
import { addIdArgument } from "../kind-options";
import { printRecord } from "../kind-output";
import { asKindRecord } from "../kind-record";
import { withNotFoundHint } from "../kind-write";
import type { KindCliExtension } from "./cli-extension";

// The kind as the generic commands take it.
const kind: ResourceKind = findKind(imProviderKind.name);

// "Enable communications with this provider": the switch that block and unblock turn.
const ENABLED: FieldNameOf<typeof imProviderKind.definition> = "enabled";
// Public or hosted.
const KIND: FieldNameOf<typeof imProviderKind.definition> = "kind";

type SwitchOptions = ConnectionOptions & WriteFlags;

/**
 * `imfed providers block|unblock <name>`: the Lync procedure's "temporarily blocking the IM service
 * provider" ("To prevent communications with this provider, clear the Enable communications with
 * this provider check box"), and its end. A block of a provider that is already blocked writes
 * nothing and says who blocked it, when and why.
 */
function switchCommand(verb: "block" | "unblock", enabled: boolean, description: string): Command {
  return addIdArgument(writeOptions(storeCommand(verb, description)), kind, "existing").action(
    async (name: string, options: SwitchOptions) => {
      const client = clientOf(options).kind(imProviderKind);
      const current = await withNotFoundHint(kind, name, () => client.get(name));
      const what = kind.describe(current.name);
      const sentence = what.charAt(0).toUpperCase() + what.slice(1);
      if (current.enabled === enabled && options.ifRevision === undefined) {
        // Nothing to write (the store would record no change either): say since when and by whom.
        if (!options.json) {
          const why = current.updateReason === null ? "" : ` (reason: ${current.updateReason})`;
          printNote(
            `${sentence} is already ${enabled ? "enabled" : "blocked"}: last changed at ${current.updatedAt} by ${current.updatedBy} via ${current.updatedVia}${why}. Nothing changed.`,
          );
        }
        return printRecord(kind, imProviderCliExtension, asKindRecord(current), options);
      }
      const provider = await withNotFoundHint(kind, name, () =>
        client.patch(name, { [ENABLED]: enabled }, writeOf(options)),
      );
      if (!options.json) {
        printNote(
          enabled
            ? `Enabled communications with ${kind.describe(provider.name)}.`
            : `Blocked ${kind.describe(provider.name)}: communications with it are refused at the edge.`,
        );
      }
      printRecord(kind, imProviderCliExtension, asKindRecord(provider), options);
    },
  );
}

/**
 * What `imfed providers` does beyond the definition of `ImProvider`: `block` and `unblock`; a
 * new provider is public and not enabled unless the flags say otherwise (as
 * `New-CsPublicProvider`, whose `-Enabled` is `$false` by default, and as the Lync procedure,
 * which has the admin select "Enable communications with this provider"); `--enable` and
 * `--disable`, the flags of `create` and `set` before they were derived from the definition;
 * the switch in green or red.
 */
export const imProviderCliExtension: KindCliExtension = {
  kind: imProviderKind.name,
  createDefaults: { [KIND]: "public", [ENABLED]: false },
  aliases: [
    {
      flag: "enable",
      field: ENABLED,
      value: true,
      description: "enable communications with this provider (same as --enabled true)",
    },
    {
      flag: "disable",
      field: ENABLED,
      value: false,
      description: "block communications with this provider (same as --enabled false)",
    },
  ],
  color: (field, value) =>
    field === ENABLED && typeof value === "boolean" ? (value ? "green" : "red") : undefined,
  createdNote: (record) =>
    record[ENABLED] === true ? undefined : `not enabled: "imfed ${kind.path} unblock" enables it`,
  commands: () => [
    switchCommand(
      "block",
      false,
      'block a provider at once: clear "Enable communications with this provider"',
    ),
    switchCommand("unblock", true, "enable communications with a provider again"),
  ],
};
