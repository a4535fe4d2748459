import type { ValidationDetail } from "../../core";
import type { HtmlValue, SafeHtml } from "./html";
import { html } from "./html";

/** A submitted form (`application/x-www-form-urlencoded`, parsed by @fastify/formbody). */
export type FormBody = Readonly<Record<string, unknown>>;

/** Reads one text field of a form; a missing or repeated field reads as `""`. */
export function textField(body: FormBody, name: string): string {
  const value = body[name];
  return typeof value === "string" ? value : "";
}

/** Reads a checkbox: checked when the field is present with the value `on`. */
export function checkboxField(body: FormBody, name: string): boolean {
  return body[name] === "on";
}

/** The failures of a form, by field (the ValidationError's detail paths), and those of no field. */
export class FormErrors {
  private readonly byField = new Map<string, string[]>();
  private readonly general: string[] = [];

  constructor(
    private readonly labels: Readonly<Record<string, string>>,
    details: readonly ValidationDetail[] = [],
  ) {
    for (const detail of details) this.add(detail.path, detail.message);
  }

  /** Adds a failure at a field's path (`""`, or a path no field has, is a general failure). */
  add(path: string, message: string): void {
    const field = path.split(".")[0] ?? "";
    if (field in this.labels) this.byField.set(field, [...(this.byField.get(field) ?? []), message]);
    else this.general.push(message);
  }

  /** Tells whether there are no failures. */
  get empty(): boolean {
    return this.byField.size === 0 && this.general.length === 0;
  }

  /** The failures at a field, each as "<label> <message>". */
  at(field: string): string[] {
    return (this.byField.get(field) ?? []).map((message) => `${this.labels[field] ?? field} ${message}`);
  }

  /**
   * The summary above the form (GOV.UK's error summary pattern): one link per failure to its
   * field, and the promise that nothing was written.
   */
  summary(): SafeHtml | "" {
    if (this.empty) return "";
    const items: HtmlValue[] = [];
    for (const message of this.general) items.push(html`<li>${message}</li>`);
    for (const field of this.byField.keys()) {
      for (const message of this.at(field)) items.push(html`<li><a href="#${field}">${message}</a></li>`);
    }
    return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
      <h2>Nothing was saved: there is a problem</h2>
      <ul>
        ${items}
      </ul>
    </div>`;
  }
}

/** The attributes and message of a field in error, for {@link textInput} and friends. */
function errorParts(errors: FormErrors | undefined, field: string) {
  const messages = errors?.at(field) ?? [];
  const invalid = messages.length > 0;
  return {
    invalid,
    describedBy: invalid ? `${field}-error` : undefined,
    message: invalid
      ? html`<p class="error" id="${field}-error">
          ${messages.map((message) => html`<span>${message}</span> `)}
        </p>`
      : "",
  };
}

/** Options of {@link textInput}. */
export interface TextInputOptions {
  readonly field: string;
  readonly label: string;
  readonly value: string;
  readonly errors?: FormErrors;
  readonly hint?: string;
  readonly readOnly?: boolean;
  readonly required?: boolean;
  readonly maxLength?: number;
  /** The bounds of a number. */
  readonly min?: number;
  readonly max?: number;
  readonly type?: "text" | "url" | "number" | "password";
  readonly autocomplete?: string;
}

/** A labelled text input, with its hint and inline error bound by `aria-describedby`. */
export function textInput(options: TextInputOptions): SafeHtml {
  const { field } = options;
  const error = errorParts(options.errors, field);
  const describedBy = [options.hint === undefined ? undefined : `${field}-hint`, error.describedBy]
    .filter((id) => id !== undefined)
    .join(" ");
  return html`<div class="field${error.invalid ? " invalid" : ""}">
    <label for="${field}">${options.label}</label>
    ${options.hint === undefined ? "" : html`<div class="hint" id="${field}-hint">${options.hint}</div>`}
    ${error.message}
    <input
      type="${options.type ?? "text"}"
      id="${field}"
      name="${field}"
      value="${options.value}"
      ${
        options.maxLength === undefined ? "" : html` maxlength="${options.maxLength}"`
      }${options.min === undefined ? "" : html` min="${options.min}"`}${
        options.max === undefined ? "" : html` max="${options.max}"`
      }${options.required === true ? html` required` : ""}${options.readOnly === true ? html` readonly` : ""}${
        describedBy === "" ? "" : html` aria-describedby="${describedBy}"`
      }${error.invalid ? html` aria-invalid="true"` : ""}
      autocomplete="${options.autocomplete ?? "off"}"
      spellcheck="false"
    />
  </div>`;
}

/** A checkbox with its label after it, and its inline error. */
export function checkbox(
  field: string,
  label: string,
  checked: boolean,
  errors?: FormErrors,
  disabled = false,
): SafeHtml {
  const error = errorParts(errors, field);
  return html`<div class="check${error.invalid ? " invalid" : ""}">
      <input
        type="checkbox"
        id="${field}"
        name="${field}"
        value="on"
        ${checked ? html` checked` : ""}${
          disabled ? html` disabled` : ""
        }${error.describedBy === undefined ? "" : html` aria-describedby="${error.describedBy}" aria-invalid="true"`}
      />
      <label for="${field}">${label}</label>
    </div>
    ${error.message}`;
}

/** The optional reason of a write, recorded on the object and in the audit log. */
export function reasonInput(value: string, errors?: FormErrors): SafeHtml {
  const error = errorParts(errors, "reason");
  return html`<div class="field${error.invalid ? " invalid" : ""}">
    <label for="reason">Reason (optional)</label>
    <div class="hint" id="reason-hint">
      Why you make this change, such as an incident number. The audit log keeps it.
    </div>
    ${error.message}
    <textarea
      id="reason"
      name="reason"
      rows="2"
      maxlength="500"
      aria-describedby="reason-hint${error.invalid ? " reason-error" : ""}"
    >
${value}</textarea>
  </div>`;
}

/** The hidden field that carries the session's CSRF token. */
export function csrfField(csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}" />`;
}
