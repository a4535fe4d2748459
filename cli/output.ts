/** Writes a value as indented JSON on stdout, for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One column of a table: its heading and how to read a row's cell. */
export interface Column<T> {
  readonly heading: string;
  readonly cell: (row: T) => string;
}

/** Writes rows as an aligned plain-text table on stdout (no color, so NO_COLOR holds by construction). */
export function printTable<T>(rows: readonly T[], columns: readonly Column<T>[]): void {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.heading.length, ...cells.map((line) => (line[index] ?? "").length)),
  );
  const format = (line: readonly string[]) =>
    line
      .map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join("  ")
      .trimEnd();
  const lines = [format(columns.map((column) => column.heading)), ...cells.map(format)];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Writes a message on stderr. */
export function printNote(message: string): void {
  process.stderr.write(`${message}\n`);
}
