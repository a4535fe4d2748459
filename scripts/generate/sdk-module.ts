import type { ResourceKind } from "../../core";
import { placeholderVariant } from "../../provider/kind-inputs";
import type { DocParagraph } from "./doc-comment";
import { docComment } from "./doc-comment";
import { builtInIds, changeSentence, cmdletOf, factsOf, metadataDescription } from "./field-facts";
import { GENERATED_NOTICE, kebabName, listed, providerObjectOf, withArticle } from "./names";
import { metadataOf, tsTypeOfField } from "./ts-types";

// The object a resource declares: `the federation settings of the organization` for a
// singleton, else `an IM service provider` (or `<prefix> IM service provider`).
function theObject(kind: ResourceKind, prefix: string): string {
  if (kind.singletonId !== undefined) return `the ${kind.title}`;
  return prefix === "" ? withArticle(kind.title) : `${prefix} ${kind.title}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

// The facts of a field as the items of its doc comment in the arguments.
function argumentFacts(kind: ResourceKind, field: string): string[] {
  const definition = kind.field(field);
  const facts = factsOf(kind, field);
  const items = [`- Control Panel: "${definition.label}".`, `- Cmdlet parameter: ${cmdletOf(kind, field)}.`];
  if (facts.required) items.push("- Required.");
  else if (facts.defaultValue !== undefined) items.push(`- Default: \`${facts.defaultValue}\`.`);
  else items.push(`- Optional: left out, the ${kind.noun} has none.`);
  if (facts.variants !== undefined) {
    const others = kind.variants.filter((variant) => !facts.variants?.includes(variant));
    items.push(
      `- Only ${withArticle(listed(facts.variants, "or"))} ${kind.noun} has it: on ${withArticle(listed(others, "or"))} ` +
        `${kind.noun} it must be left out, even at its default.`,
    );
  }
  if (field === kind.discriminator) {
    for (const [variant, info] of Object.entries(kind.definition.variants?.values ?? {})) {
      items.push(
        `- ${code(variant)}: Control Panel "${info.label}" (${info.cmdlets.join(", ")}): ${info.description}`,
      );
    }
  } else {
    for (const [value, label] of Object.entries(definition.choices ?? {})) {
      items.push(`- ${code(value)}: Control Panel "${label}".`);
    }
  }
  items.push(`- ${changeSentence(kind, facts)}`);
  return items;
}

// The TypeScript type of an output: `| null` where the field is optional (the store answers
// null), `| undefined` where only some variants have it.
function outputType(kind: ResourceKind, field: string): string {
  const definition = kind.field(field);
  return [
    tsTypeOfField(kind, field),
    ...(definition.optional ? ["null"] : []),
    ...(definition.variants !== undefined ? ["undefined"] : []),
  ].join(" | ");
}

function outputDoc(kind: ResourceKind, field: string): string {
  const definition = kind.field(field);
  const notes: string[] = [];
  if (definition.optional) notes.push("`null` when it has none.");
  if (definition.variants !== undefined) {
    notes.push(
      `Only ${withArticle(listed(definition.variants, "or"))} ${kind.noun} has it (else \`undefined\`).`,
    );
  }
  if (definition.caseInsensitive) notes.push("Compared ignoring ASCII case.");
  return [definition.description, ...notes].join(" ");
}

// A call of the class with every field of its widest variant at its example, checked against the kind.
function exampleOf(kind: ResourceKind): string {
  const variant = placeholderVariant(kind);
  const args: Record<string, unknown> = {};
  for (const field of kind.fieldsOf(variant)) {
    args[field] = field === kind.discriminator ? variant : kind.field(field).example;
  }
  const result = kind.validate(args);
  if (!result.ok) {
    throw new Error(
      `${kind.name}: the examples of its fields are not valid together: ${result.details.map((d) => `${d.path} ${d.message}`).join("; ")}`,
    );
  }
  const lines = Object.entries(args).map(([field, value]) => `  ${field}: ${JSON.stringify(value)},`);
  return ["```ts", `new ${kind.name}("example", {`, ...lines, "});", "```"].join("\n");
}

function classDoc(kind: ResourceKind): DocParagraph[] {
  const paragraphs: DocParagraph[] = [kind.definition.description];
  if (kind.singletonId !== undefined) {
    paragraphs.push([
      `The store holds one, id \`${kind.singletonId}\`: create adopts it (sets it to the declared settings) and ` +
        `delete restores its defaults. Declare at most one per store.`,
    ]);
  } else {
    const builtIns = builtInIds(kind);
    paragraphs.push([
      `Its id is its \`${kind.identityField ?? ""}\`, compared ignoring ASCII case.` +
        (builtIns.length === 0
          ? ""
          : ` A built-in ${kind.noun} (${listed(builtIns.map((id) => `\`${id}\``))}) is adopted on create ` +
            `and restored to its defaults on delete.`) +
        ` Set \`adopt: true\` to take over another existing ${kind.noun}.`,
    ]);
  }
  paragraphs.push([`Pulumi type: \`${kind.typeToken}\`.`]);
  return paragraphs;
}

/** The advice `refuseImport` gives for the kind: how its objects come under a program without `import`. */
export function importAdvice(kind: ResourceKind): string {
  if (kind.singletonId !== undefined) {
    return (
      `${capitalized(withArticle(kind.name))} needs no import: its create always adopts the store's ${kind.noun} ` +
      `(the one object of id "${kind.singletonId}") and updates it to the declared settings.`
    );
  }
  const builtIns = builtInIds(kind);
  return (
    `To bring an existing ${kind.noun} under this program, set "adopt: true" on the ${kind.name}: its create ` +
    `then takes the ${kind.noun} over and updates it to the declared settings` +
    (builtIns.length === 0 ? "." : ` (the built-ins ${listed(builtIns)} are always adopted).`)
  );
}

/** The SDK module of a kind (`sdk/<kebab-kind>.ts`): its arguments interface and its resource class. */
export function sdkModule(kind: ResourceKind): string {
  const name = kind.name;
  const args = `${name}Args`;
  const variantCmdlets = Object.values(kind.definition.variants?.values ?? {}).flatMap((v) => v.cmdlets);
  const argsDoc = docComment([
    `The arguments of ${withArticle(name).split(" ")[0]} {@link ${name}}: ${theObject(kind, "the settings of one")}, ` +
      `each with its Control Panel label and the cmdlet parameter it mirrors` +
      (variantCmdlets.length === 0 ? "" : ` (${variantCmdlets.join(", ")})`) +
      `. Settings left out take their defaults.`,
  ]);
  const fields = kind.fields.map((field) => {
    const facts = factsOf(kind, field);
    const doc = docComment([kind.field(field).description, argumentFacts(kind, field)], "  ");
    return `${doc}\n  readonly ${field}${facts.required ? "" : "?"}: pulumi.Input<${tsTypeOfField(kind, field)}>;`;
  });
  if (kind.singletonId === undefined) {
    const builtIns = builtInIds(kind);
    const doc = docComment(
      [
        `When \`true\`, creating this resource takes over an existing ${kind.noun} of the same ` +
          `${kind.identityField ?? "id"} (updating it to these settings) instead of failing.` +
          (builtIns.length === 0
            ? ""
            : ` Built-ins (${listed(builtIns.map((id) => `\`${id}\``))}) are always adopted.`) +
          ` This replaces \`pulumi import\`, which dynamic providers do not support (pulumi/pulumi#16175). Default \`false\`.`,
      ],
      "  ",
    );
    fields.push(`${doc}\n  readonly adopt?: pulumi.Input<boolean>;`);
  }

  const metadata = metadataOf(kind);
  const outputs = [
    ...kind.fields.map(
      (field) =>
        `${docComment([outputDoc(kind, field)], "  ")}\n  declare public readonly ${field}: pulumi.Output<${outputType(kind, field)}>;`,
    ),
    ...metadata.map(
      ({ field, type }) =>
        `${docComment([metadataDescription(kind, field)], "  ")}\n  declare public readonly ${field}: pulumi.Output<${type}>;`,
    ),
  ];
  const outputNames = [...kind.fields, ...metadata.map(({ field }) => field)];
  const anyRequired = kind.fields.some((field) => factsOf(kind, field).required);
  const provider = providerObjectOf(kind);
  const classParagraphs = classDoc(kind);
  const classComment = docComment([...classParagraphs, { verbatim: exampleOf(kind) }]);
  const constructorDoc = docComment(
    [
      [
        `Declares ${theObject(kind, "")}.`,
        kind.singletonId === undefined
          ? `@param resourceName the Pulumi resource name (not the ${kind.noun}'s ${kind.identityField ?? "id"}, which is \`args.${kind.identityField ?? "id"}\`)`
          : "@param resourceName the Pulumi resource name",
        "@param args the settings",
        kind.singletonId === undefined
          ? "@param opts resource options; `import` is refused (pulumi/pulumi#16175): use `adopt: true`"
          : "@param opts resource options; `import` is refused (pulumi/pulumi#16175): create adopts the settings",
      ],
    ],
    "  ",
  );

  return `// ${GENERATED_NOTICE}
import * as pulumi from "@pulumi/pulumi";
import { ${provider} } from "../provider/resource-providers";
import { refuseImport } from "./refuse-import";

${argsDoc}
export interface ${args} {
${fields.join("\n")}
}

// Every output, named with \`undefined\` so that the engine fills those the arguments leave out.
const OUTPUTS = {
${outputNames.map((field) => `  ${field}: undefined,`).join("\n")}
};

${classComment}
export class ${name} extends pulumi.dynamic.Resource {
${outputs.join("\n")}

${constructorDoc}
  constructor(resourceName: string, args: ${args}${anyRequired ? "" : " = {}"}, opts?: pulumi.CustomResourceOptions) {
    refuseImport(${JSON.stringify(name)}, resourceName, opts, ${JSON.stringify(importAdvice(kind))});
    super(${provider}, resourceName, { ...OUTPUTS, ...args }, opts, "imfed", ${JSON.stringify(name)});
  }
}
`;
}

/** The SDK's index (`sdk/index.ts`): every kind's class and arguments. */
export function sdkIndex(kinds: readonly ResourceKind[]): string {
  const doc = docComment([
    `The Pulumi resources of imfed, one class per resource kind: ${listed(kinds.map((kind) => `\`${kind.name}\` (${kind.title})`))}.`,
  ]);
  const lines = kinds.flatMap((kind) => [
    `export { ${kind.name} } from "./${kebabName(kind)}";`,
    `export type { ${kind.name}Args } from "./${kebabName(kind)}";`,
  ]);
  return `// ${GENERATED_NOTICE}\n${doc}\n${lines.join("\n")}\n`;
}
