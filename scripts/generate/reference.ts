import type { ResourceKind } from "../../core";
import {
  builtInIds,
  changeSummary,
  cmdletOf,
  factsOf,
  metadataDescription,
  variantsSummary,
} from "./field-facts";
import { GENERATED_NOTICE, listed } from "./names";
import { metadataOf, tsTypeOfField } from "./ts-types";

// A table cell: pipes escaped (GitHub's tables split on them even inside code), no line breaks.
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
}

function kindSection(kind: ResourceKind): string {
  const lines: string[] = [`## ${kind.name}`, "", kind.definition.description, ""];
  const identity =
    kind.singletonId === undefined
      ? `one per \`${kind.identityField ?? ""}\` (compared ignoring ASCII case), at \`/v1/${kind.path}/{${kind.identityField ?? "id"}}\``
      : `one per store, id \`${kind.singletonId}\`, at \`/v1/${kind.path}\``;
  lines.push(`- Objects: ${identity}; the CLI's command group \`imfed ${kind.path}\`.`);
  lines.push(`- Pulumi: \`new ${kind.name}(name, args)\`, type \`${kind.typeToken}\`.`);
  if (kind.variants.length > 0) {
    const variants = Object.entries(kind.definition.variants?.values ?? {}).map(
      ([variant, info]) =>
        `\`${variant}\` (Control Panel "${info.label}", ${info.cmdlets.join(", ")}): ${info.description}`,
    );
    lines.push(`- Variants, by \`${kind.discriminator ?? ""}\`:`);
    for (const variant of variants) lines.push(`  - ${variant}`);
  }
  const unique = kind.definition.unique ?? [];
  if (unique.length > 0) {
    lines.push(
      `- Unique besides the id: ${listed(unique.map((key) => `\`${key.field}\` (${key.role})`))}, compared as the field compares.`,
    );
  }
  const builtIns = builtInIds(kind);
  if (builtIns.length > 0) {
    lines.push(
      `- Built-ins of a new store: ${listed(builtIns.map((id) => `\`${id}\``))}; adopted by a Pulumi create, restored by a Pulumi delete.`,
    );
  }
  if (kind.singletonId === undefined) {
    lines.push(
      `- \`adopt\` (Pulumi only, default \`false\`): when \`true\`, create takes over an existing ${kind.noun} of that ${kind.identityField ?? "id"}.`,
    );
  } else {
    lines.push(`- A Pulumi create adopts the one object; a Pulumi delete restores its defaults.`);
  }
  lines.push("", "### Fields", "");
  lines.push(
    table(
      [
        "Field",
        "Type",
        "Default",
        "Variants",
        "A change",
        "Cmdlet parameter",
        "Control Panel label",
        "CLI flag",
        "Description",
      ],
      kind.fields.map((field) => {
        const definition = kind.field(field);
        const facts = factsOf(kind, field);
        const fallback = facts.required
          ? "required"
          : facts.defaultValue === undefined
            ? "none (optional)"
            : `\`${facts.defaultValue}\``;
        return [
          `\`${field}\``,
          `\`${tsTypeOfField(kind, field)}\``,
          fallback,
          variantsSummary(kind, facts),
          changeSummary(facts),
          cmdletOf(kind, field),
          definition.label,
          `\`--${definition.flag}\``,
          definition.description,
        ];
      }),
    ),
  );
  const detailOnly = kind.fields.filter((field) => kind.field(field).detailOnly);
  if (detailOnly.length > 0) {
    lines.push(
      "",
      `Shown only in detailed output (the CLI's \`--all\`, the Control Panel's details), as the cmdlets' default view leaves ${detailOnly.length === 1 ? "it" : "them"} out: ${listed(detailOnly.map((field) => `\`${field}\``))}.`,
    );
  }
  for (const field of kind.fields) {
    const choices = kind.field(field).choices;
    if (choices === undefined || field === kind.discriminator) continue;
    lines.push("", `Values of \`${field}\`, with their Control Panel labels:`, "");
    for (const [value, label] of Object.entries(choices))
      lines.push(`- \`${JSON.stringify(value)}\`: ${label}`);
  }
  lines.push("", "### Kept by the store", "");
  lines.push(
    table(
      ["Field", "Type", "Description"],
      metadataOf(kind).map(({ field, type }) => [
        `\`${field}\``,
        `\`${type}\``,
        metadataDescription(kind, field),
      ]),
    ),
  );
  return lines.join("\n");
}

/** The field reference (`docs/reference.md`): every kind, every field, from the definitions. */
export function referenceDoc(kinds: readonly ResourceKind[]): string {
  return `<!-- ${GENERATED_NOTICE} -->

# Field reference

Every resource kind of imfed and each of its fields, as its definition in \`core/kinds/\` declares
them; the store's API, the CLI, the Control Panel, the Pulumi resources and this page all read
those definitions. "A change" says whether changing the field updates the object in place (as a
\`Set-Cs*\` cmdlet does) or replaces it (remove, then create again), for each variant that has the
field. The kinds: ${listed(kinds.map((kind) => `[\`${kind.name}\`](#${kind.name.toLowerCase()})`))}.

${kinds.map(kindSection).join("\n\n")}
`;
}
