import type { OptionValues } from "commander";
import { Command, Option } from "commander";
import type { ResourceKind } from "../../core";
import { PreconditionFailedError } from "../../core";
import type { ConnectionOptions, WriteFlags } from "../connection";
import { clientOf, storeCommand, writeOf, writeOptions } from "../connection";
import { CliError, EXIT } from "../exit-codes";
import { printJson, printNote } from "../output";
import type { KindCliExtension } from "./extensions/cli-extension";
import { cliExtensionOf } from "./extensions";
import { addFieldOptions, addIdArgument, flagOf } from "./kind-options";
import type { RecordOutputOptions } from "./kind-output";
import { printRecord, printRecordTable } from "./kind-output";
import { asKindRecord } from "./kind-record";
import { patchAndReport, withNotFoundHint } from "./kind-write";

type StoreOptions = ConnectionOptions & RecordOutputOptions;
type WriteCommandOptions = StoreOptions & WriteFlags;

// The --all flag of the commands that print objects for people.
const allOption = () =>
  new Option(
    "--all",
    "show every field, those the default view leaves out too (as the cmdlets' Format-List *)",
  );

// A command's arguments as commander hands them to the action: the id (collection kinds), then
// the options, then the command itself.
function idAndOptions<T>(
  kind: ResourceKind,
  args: readonly unknown[],
): { id: string | undefined; options: T } {
  const command = args.at(-1) as Command;
  return {
    id: kind.singletonId === undefined ? (args[0] as string) : undefined,
    options: command.opts<OptionValues>() as T,
  };
}

function listCommand(kind: ResourceKind, extension: KindCliExtension): Command {
  const identity = kind.field(kind.identityField ?? "");
  const command = storeCommand("list", `list the ${kind.path}, sorted by their ${identity.flag}`).addOption(
    allOption(),
  );
  const discriminator = kind.discriminator;
  const filter =
    discriminator === undefined
      ? undefined
      : new Option(
          `${flagOf(kind, discriminator)} <${kind.field(discriminator).flag}>`,
          `only the ${kind.path} of this ${kind.field(discriminator).label.toLowerCase()}`,
        ).choices(kind.variants);
  if (filter !== undefined) command.addOption(filter);
  return command.action(async (options: StoreOptions & OptionValues) => {
    const variant =
      filter === undefined ? undefined : (options[filter.attributeName()] as string | undefined);
    const query = discriminator === undefined || variant === undefined ? {} : { [discriminator]: variant };
    const records = (await clientOf(options).kind(kind).list(query)).map(asKindRecord);
    printRecordTable(kind, extension, records, { ...options, ...(variant === undefined ? {} : { variant }) });
  });
}

function showCommand(kind: ResourceKind, extension: KindCliExtension): Command {
  const command = storeCommand(
    "show",
    `show ${kind.singletonId === undefined ? `one ${kind.noun}` : kind.describe()}`,
  );
  if (kind.singletonId === undefined) addIdArgument(command, kind, "existing");
  return command.addOption(allOption()).action(async (...args: unknown[]) => {
    const { id, options } = idAndOptions<StoreOptions>(kind, args);
    const client = clientOf(options).kind(kind);
    const record = await withNotFoundHint(kind, id, () => client.get(id));
    printRecord(kind, extension, asKindRecord(record), options);
  });
}

function createCommand(kind: ResourceKind, extension: KindCliExtension): Command {
  const command = writeOptions(
    storeCommand("create", `create a ${kind.noun} (it fails with exit 5 if it exists already)`),
    false,
  );
  addIdArgument(command, kind, "new");
  const fields = addFieldOptions(command, kind, "create", extension);
  command.addOption(allOption());
  return command.action(async (...args: unknown[]) => {
    const { id, options } = idAndOptions<WriteCommandOptions & OptionValues>(kind, args);
    const name = id ?? "";
    const spec = { ...fields.read(options), [kind.identityField ?? ""]: name };
    let record;
    try {
      ({ record } = await clientOf(options)
        .kind(kind)
        .put(name, spec as never, { ...writeOf(options), ifNoneMatch: true }));
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      throw new CliError(
        `${kind.describe(name)} already exists (compared ignoring case); "imfed ${kind.path} set" changes it, or "imfed ${kind.path} delete" removes it first`,
        EXIT.conflict,
      );
    }
    const created = asKindRecord(record);
    if (!options.json) {
      const variant = kind.variantOf(created);
      const remark = extension.createdNote?.(created);
      printNote(
        `Created ${variant === undefined ? "" : `${variant} `}${kind.describe(kind.idOf(created))}${remark === undefined ? "" : ` (${remark})`}.`,
      );
    }
    printRecord(kind, extension, created, options);
  });
}

function setCommand(kind: ResourceKind, extension: KindCliExtension): Command {
  const command = writeOptions(
    storeCommand(
      "set",
      `change ${kind.singletonId === undefined ? `a ${kind.noun}'s settings` : kind.describe()} in place`,
    ),
  );
  if (kind.singletonId === undefined) addIdArgument(command, kind, "existing");
  const fields = addFieldOptions(command, kind, "set", extension);
  command.addOption(allOption());
  return command.action(async (...args: unknown[]) => {
    const { id, options } = idAndOptions<WriteCommandOptions & OptionValues>(kind, args);
    const patch = fields.read(options);
    if (Object.keys(patch).length === 0) {
      throw new CliError(`nothing to change: give at least one of ${fields.flags.join(", ")}`, EXIT.usage);
    }
    await patchAndReport(kind, extension, id, options, patch);
  });
}

function deleteCommand(kind: ResourceKind): Command {
  const command = writeOptions(storeCommand("delete", `remove a ${kind.noun}`));
  addIdArgument(command, kind, "existing");
  return command.action(async (...args: unknown[]) => {
    const { id, options } = idAndOptions<WriteCommandOptions>(kind, args);
    const name = id ?? "";
    const client = clientOf(options).kind(kind);
    await withNotFoundHint(kind, name, () => client.delete(name, writeOf(options)));
    if (options.json) printJson({ deleted: name });
    else printNote(`Deleted ${kind.describe(name)}.`);
  });
}

/**
 * The command group of a resource kind, named by its API path (`imfed providers`), derived from
 * its definition: for a collection kind `list`, `show`, `create`, `set` and `delete`; for a
 * singleton `show` and `set`; plus the commands of the kind's extension. Flags, help, labels and
 * output come from the fields' definitions, so a new field needs no change here.
 */
export function kindCommand(kind: ResourceKind): Command {
  const extension = cliExtensionOf(kind);
  const group = new Command(kind.path).description(
    `${kind.definition.description} Against a running store (--endpoint, --token or IMFED_ENDPOINT, IMFED_TOKEN).`,
  );
  const collection = kind.singletonId === undefined;
  if (collection) group.addCommand(listCommand(kind, extension));
  group.addCommand(showCommand(kind, extension));
  if (collection) group.addCommand(createCommand(kind, extension));
  group.addCommand(setCommand(kind, extension));
  for (const command of extension.commands?.() ?? []) group.addCommand(command);
  if (collection) group.addCommand(deleteCommand(kind));
  return group;
}
