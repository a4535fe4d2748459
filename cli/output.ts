/** Writes a value as indented JSON on stdout, for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A color of the terminal, used only when {@link useColor} says so. */
export type Color = "red" | "green" | "yellow" | "dim";

const COLOR_CODES: Readonly<Record<Color, string>> = { red: "31", green: "32", yellow: "33", dim: "2" };

/**
 * Tells whether output to a stream may be colored: never when `NO_COLOR` is set to anything
 * but the empty string (https://no-color.org), always when `FORCE_COLOR` is set (but not to
 * `0`), else only on a terminal that is not `TERM=dumb`.
 */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if ((process.env.NO_COLOR ?? "") !== "") return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0") return true;
  return stream.isTTY === true && process.env.TERM !== "dumb";
}

/** Colors a text for stdout when {@link useColor} allows it, else returns it as it is. */
export function paint(text: string, color: Color | undefined): string {
  if (color === undefined || !useColor()) return text;
  return `\u001b[${COLOR_CODES[color]}m${text}\u001b[0m`;
}

/** One column of a table: its heading, how to read a row's cell, and optionally its color. */
export interface Column<T> {
  readonly heading: string;
  readonly cell: (row: T) => string;
  readonly color?: (row: T) => Color | undefined;
}

/** Writes rows as an aligned plain-text table on stdout; colors only where {@link useColor} allows. */
export function printTable<T>(rows: readonly T[], columns: readonly Column<T>[]): void {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.heading.length, ...cells.map((line) => (line[index] ?? "").length)),
  );
  // Pad first, then color, so that escape codes do not count as width.
  const format = (line: readonly string[], row?: T) =>
    line
      .map((cell, index) => {
        const padded = index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0);
        const color = row === undefined ? undefined : columns[index]?.color?.(row);
        return color === undefined ? padded : paint(padded, color);
      })
      .join("  ")
      .trimEnd();
  const lines = [
    format(columns.map((column) => column.heading)),
    ...cells.map((line, i) => format(line, rows[i])),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Writes label and value pairs, one a line, the labels aligned. */
export function printFacts(facts: readonly (readonly [string, string])[]): void {
  const width = Math.max(...facts.map(([label]) => label.length));
  process.stdout.write(facts.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n") + "\n");
}

/** Writes a message on stderr. */
export function printNote(message: string): void {
  process.stderr.write(`${message}\n`);
}
