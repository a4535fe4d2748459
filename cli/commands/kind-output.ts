import type { ResourceKind } from "../../core";
import type { Column } from "../output";
import { paint, printFacts, printJson, printNote, printTable } from "../output";
import type { KindCliExtension } from "./extensions/cli-extension";
import { labelOf } from "./kind-options";
import type { KindRecord } from "./kind-record";

/** How a command prints objects: JSON for machines, and for people every field or only the default view's. */
export interface RecordOutputOptions {
  /** Print the record as the store returns it, every field included. */
  readonly json?: boolean;
  /** Show the fields a definition keeps out of the default view (`detailOnly`) too. */
  readonly all?: boolean;
}

/**
 * The fields shown of an object of a variant (every variant, for `undefined`): in the order of
 * the definition, without the `detailOnly` ones unless `all`.
 */
export function shownFields(
  kind: ResourceKind,
  variant: string | undefined,
  all: boolean,
): readonly string[] {
  return kind.fieldsOf(variant).filter((field) => all || !kind.field(field).detailOnly);
}

/**
 * A field's value for people: `true`/`false` (the words its flag takes), `none` for an absent
 * optional field, and, where `detailed`, an enumerated value with its Control Panel label.
 */
export function formatValue(kind: ResourceKind, field: string, value: unknown, detailed: boolean): string {
  if (value === null || value === undefined) return "none";
  const label = labelOf(kind.field(field), String(value));
  if (detailed && label !== undefined) return `${String(value)}: ${label}`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A record with its fields first, in the order of the definition, then the store's metadata:
 * every member it has, none left out (the CLI's JSON forgets no field).
 */
export function inFieldOrder(kind: ResourceKind, record: KindRecord): KindRecord {
  const ordered: Record<string, unknown> = {};
  for (const field of kind.fields) if (field in record) ordered[field] = record[field];
  return { ...ordered, ...record } as KindRecord;
}

// Who last wrote the object, when and how.
function lastWriteOf(record: KindRecord): string {
  return `${record.updatedAt} by ${record.updatedBy} via ${record.updatedVia}`;
}

/**
 * Prints one object: with `json`, the record as the store returns it (every field, so the CLI
 * forgets none); else its fields one a line, labelled as the Control Panel labels them, then
 * the store's facts about it and the extension's notes (on stderr).
 */
export function printRecord(
  kind: ResourceKind,
  extension: KindCliExtension,
  record: KindRecord,
  options: RecordOutputOptions,
): void {
  if (options.json) return printJson(inFieldOrder(kind, record));
  const facts: [string, string][] = shownFields(kind, kind.variantOf(record), options.all === true).map(
    (field) => [
      kind.field(field).label,
      paint(formatValue(kind, field, record[field], true), extension.color?.(field, record[field])),
    ],
  );
  if (record.builtIn !== undefined) facts.push(["Built-in", String(record.builtIn)]);
  facts.push(["Revision", String(record.revision)]);
  if (record.createdAt !== undefined) facts.push(["Created", record.createdAt]);
  facts.push(["Last changed", lastWriteOf(record)], ["Reason", record.updateReason ?? "none given"]);
  printFacts(facts);
  for (const note of extension.notes?.(record) ?? []) printNote(note);
}

/** A column heading: the field's flag in capitals (`--verification-level` heads `VERIFICATION LEVEL`). */
export function headingOf(kind: ResourceKind, field: string): string {
  return kind.field(field).flag.replace(/-/g, " ").toUpperCase();
}

/**
 * Prints objects as a table: a column per shown field that at least one of them has (a cell of
 * an object whose variant lacks the field is `-`), then who changed each last and why.
 */
export function printRecordTable(
  kind: ResourceKind,
  extension: KindCliExtension,
  records: readonly KindRecord[],
  options: RecordOutputOptions & { readonly variant?: string },
): void {
  if (options.json) return printJson({ items: records.map((record) => inFieldOrder(kind, record)) });
  const all = options.all === true;
  const present =
    records.length === 0
      ? shownFields(kind, options.variant, all)
      : kind.fields.filter((field) =>
          records.some((record) => shownFields(kind, kind.variantOf(record), all).includes(field)),
        );
  const has = (record: KindRecord, field: string) => kind.fieldsOf(kind.variantOf(record)).includes(field);
  const columns: Column<KindRecord>[] = present.map((field) => ({
    heading: headingOf(kind, field),
    cell: (record) => (has(record, field) ? formatValue(kind, field, record[field], false) : "-"),
    color: (record) => (has(record, field) ? extension.color?.(field, record[field]) : undefined),
  }));
  columns.push(
    {
      heading: "LAST CHANGED",
      cell: (record) => `${record.updatedAt} ${record.updatedBy} via ${record.updatedVia}`,
    },
    { heading: "REASON", cell: (record) => record.updateReason ?? "" },
  );
  printTable(records, columns);
}
