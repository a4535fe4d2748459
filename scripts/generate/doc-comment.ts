/** The width doc comments are wrapped at, the comment's own ` * ` included, within prettier's 110. */
const WIDTH = 100;

// Words of a paragraph on lines of at most `width` characters (a longer word stands alone).
function wrap(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** A paragraph of a doc comment: text to wrap, lines to wrap each (list items), or lines kept as they are (code). */
export type DocParagraph = string | readonly string[] | { readonly verbatim: string };

/**
 * A JSDoc comment of paragraphs (an item starting with `- ` is a list item, continued with two
 * spaces), wrapped and indented; `*\/` inside the text is escaped.
 */
export function docComment(paragraphs: readonly DocParagraph[], indent = ""): string {
  const width = WIDTH - indent.length - 3;
  const body: string[] = [];
  for (const paragraph of paragraphs) {
    if (body.length > 0) body.push("");
    if (typeof paragraph === "object" && "verbatim" in paragraph) {
      body.push(...paragraph.verbatim.replace(/\*\//g, "*\\/").split("\n"));
      continue;
    }
    const items = typeof paragraph === "string" ? [paragraph] : paragraph;
    for (const item of items) {
      const text = item.replace(/\*\//g, "*\\/");
      body.push(...wrap(text, width, text.startsWith("- ") ? "  " : ""));
    }
  }
  const only = body.length === 1 ? body[0] : undefined;
  if (only !== undefined && indent.length + only.length + 7 <= WIDTH) return `${indent}/** ${only} */`;
  return [
    `${indent}/**`,
    ...body.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}`),
    `${indent} */`,
  ].join("\n");
}
