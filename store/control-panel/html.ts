/**
 * A fragment of HTML that is safe to insert as it is: made only by {@link html}, which escapes
 * every value it interpolates, or by {@link rawHtml} for markup the code itself wrote.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** A value {@link html} can interpolate: text (escaped), safe HTML, a list of them, or nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/**
 * Escapes text for HTML element content and for double- or single-quoted attribute values
 * (OWASP XSS prevention cheat sheet, rules 1 and 2). Provider names and reasons are user input.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ESCAPES[character] ?? character);
}

/**
 * The tag of HTML templates: every interpolated value is escaped unless it is {@link SafeHtml};
 * lists are joined; `null`, `undefined` and `false` render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** Markup written by the code itself (never user input), inserted as it is. */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}
