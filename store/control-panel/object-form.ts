import type { FormBody, FormErrors } from "./form-fields";
import { checkbox, textField, textInput } from "./form-fields";
import type { HtmlValue, SafeHtml } from "./html";
import { html } from "./html";

/** One option of a {@link FieldControl} of type `choice`. */
export interface ChoiceOption {
  readonly value: string;
  readonly label: string;
  /** Shown after the label, such as "(default)". */
  readonly note?: string;
}

/** How a field is edited: a checkbox, a text box, or one of a few options (radio buttons). */
export type FieldControl =
  | { readonly type: "checkbox" }
  | {
      readonly type: "text";
      readonly inputType?: "text" | "url" | "number";
      readonly maxLength?: number;
      /** The bounds of a number. */
      readonly min?: number;
      readonly max?: number;
      readonly required?: boolean;
      /** Shown as "(optional)" after the label; an empty value is no value. */
      readonly optional?: boolean;
      /** Leading and trailing spaces are dropped when the form is read. */
      readonly trim?: boolean;
    }
  | { readonly type: "choice"; readonly legend: string; readonly options: readonly ChoiceOption[] };

/**
 * One field of a Control Panel form over a stored object: the object's field of the same
 * name, how it is edited, and how people read it. The form machinery below (reading a post,
 * rendering, telling the user's changes from other people's) works on a list of these, so
 * that a form for another kind of object is a new list, not new code.
 */
export interface FormField {
  /** The object's field, and the form field's name. */
  readonly name: string;
  /** The label, as the Control Panel names the field; error messages start with it. */
  readonly label: string;
  readonly hint?: string;
  readonly control: FieldControl;
  /** Consecutive fields with the same group are shown in one fieldset with it as legend. */
  readonly group?: string;
  /** Shown but not editable (a stored object's identity). */
  readonly readOnly?: boolean;
}

/**
 * A form's values, each as the form posts it: text as typed, a checkbox `on` or `off`, a
 * choice its value. As text, a value round-trips through hidden fields unchanged.
 */
export type FormValues = Readonly<Record<string, string>>;

/** The hidden fields of what the form was opened with: `_opened.<field>`. */
export const OPENED_PREFIX = "_opened.";
/** The hidden fields of an entry awaiting the user's decision: `_mine.<field>`. */
export const MINE_PREFIX = "_mine.";

/** Encodes a field's value on an object as the form posts it. */
export function encodeValue(field: FormField, value: unknown): string {
  if (field.control.type === "checkbox") return value === true ? "on" : "off";
  return typeof value === "string" ? value : value === null || value === undefined ? "" : String(value);
}

/** The form values of an object (a stored record or a snapshot of one in the audit log). */
export function valuesOf(
  fields: readonly FormField[],
  object: Readonly<Record<string, unknown>>,
): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, encodeValue(field, object[field.name])]));
}

/** Reads one field of a post; an unticked checkbox is absent from a post, so it reads as `off`. */
export function readValue(field: FormField, body: FormBody): string {
  const control = field.control;
  if (control.type === "checkbox") return body[field.name] === "on" ? "on" : "off";
  const text = textField(body, field.name);
  return control.type === "text" && control.trim === true ? text.trim() : text;
}

/** The editable fields of a list. */
export function editableFields(fields: readonly FormField[]): FormField[] {
  return fields.filter((field) => field.readOnly !== true);
}

/** The labels of the fields (and of the reason), for {@link FormErrors}. */
export function labelsOf(fields: readonly FormField[]): Record<string, string> {
  return { ...Object.fromEntries(fields.map((field) => [field.name, field.label])), reason: "Reason" };
}

/** A value in words, for the page that shows what changed: `Yes`, an option's label, the text or `none`. */
export function describeValue(field: FormField, value: string | undefined): string {
  const control = field.control;
  if (value === undefined) return "not set";
  if (control.type === "checkbox") return value === "on" ? "Yes" : "No";
  if (control.type === "choice")
    return control.options.find((option) => option.value === value)?.label ?? value;
  return value === "" ? "none" : value;
}

/**
 * The body of a write from the editable fields' values: a checkbox is a boolean, a number box
 * a number (or the text typed, when it is not one, for the validation to name), an empty
 * text is left out (`omit`, on create) or cleared with `null` (`clear`, a merge patch), an
 * empty choice is left out (the store applies the default or refuses it).
 */
export function bodyOf(
  fields: readonly FormField[],
  values: FormValues,
  emptyText: "omit" | "clear",
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of editableFields(fields)) {
    const value = values[field.name] ?? "";
    if (field.control.type === "checkbox") body[field.name] = value === "on";
    else if (value !== "") body[field.name] = numberOrText(field, value);
    else if (field.control.type === "text" && emptyText === "clear") body[field.name] = null;
  }
  return body;
}

// A number box's value as a number when it is one (decimal, as typed), else the text itself.
function numberOrText(field: FormField, value: string): string | number {
  if (field.control.type !== "text" || field.control.inputType !== "number") return value;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/** A submitted edit form: what the user entered, and what the form was opened with. */
export interface PostedEdit {
  /** The values posted; a field awaiting a decision that got none holds the user's earlier entry. */
  readonly submitted: FormValues;
  /** The values the form was opened with (`_opened.<field>`), where the form carried them. */
  readonly opened: Readonly<Partial<Record<string, string>>>;
  /** The fields that await the user's decision (`_mine.<field>`) and got none in this post. */
  readonly undecided: ReadonlySet<string>;
  /** The revision the form was opened at, or `undefined` when the post has none. */
  readonly revision: number | undefined;
}

/** Reads a submitted edit form over the editable fields of `fields`. */
export function readPostedEdit(fields: readonly FormField[], body: FormBody): PostedEdit {
  const submitted: Record<string, string> = {};
  const opened: Record<string, string> = {};
  const undecided = new Set<string>();
  for (const field of editableFields(fields)) {
    const openedValue = body[OPENED_PREFIX + field.name];
    if (typeof openedValue === "string") opened[field.name] = openedValue;
    const mine = body[MINE_PREFIX + field.name];
    if (typeof mine === "string" && body[field.name] === undefined) {
      undecided.add(field.name);
      submitted[field.name] = mine;
    } else {
      submitted[field.name] = readValue(field, body);
    }
  }
  const revision = Number(textField(body, "revision"));
  return {
    submitted,
    opened,
    undecided,
    revision: Number.isSafeInteger(revision) && revision > 0 ? revision : undefined,
  };
}

/** What becomes of one field when a form meets an object that changed since it was opened. */
export interface FieldOutcome {
  readonly field: FormField;
  readonly opened: string | undefined;
  readonly mine: string;
  readonly current: string;
  /**
   * `current`: the user did not touch it, so it takes the current value; `mine`: the user
   * changed it and no one else did (or both made the same change); `decide`: both changed it,
   * differently, and the user must choose.
   */
  readonly outcome: "current" | "mine" | "decide";
}

/** The result of {@link reconcile}. */
export interface Reconciled {
  /** What the form holds now (for a field to decide, the current value). */
  readonly values: FormValues;
  /** Every editable field where the form was opened with, the user's entry or the current value differ. */
  readonly outcomes: readonly FieldOutcome[];
  /** The fields the user must decide. */
  readonly conflicts: readonly FieldOutcome[];
}

/**
 * Reconciles a form with an object that changed since the form was opened, field by field
 * (a three-way merge, with the opened values as the common ancestor): a field the user did not
 * touch takes the current value, so a stale value is never carried forward; a field the user
 * changed keeps the user's entry while no one else changed it; a field both changed to
 * different values is flagged for the user to decide. A field whose opened value is unknown
 * (a post without it) counts as touched. Fields in `undecided` stay flagged until decided.
 */
export function reconcile(
  fields: readonly FormField[],
  state: {
    readonly opened: Readonly<Partial<Record<string, string>>>;
    readonly submitted: FormValues;
    readonly current: FormValues;
    readonly undecided?: ReadonlySet<string>;
  },
): Reconciled {
  const values: Record<string, string> = { ...state.current };
  const outcomes: FieldOutcome[] = [];
  for (const field of editableFields(fields)) {
    const opened = state.opened[field.name];
    const mine = state.submitted[field.name] ?? "";
    const current = state.current[field.name] ?? "";
    let outcome: FieldOutcome["outcome"];
    if (state.undecided?.has(field.name) === true) outcome = mine === current ? "mine" : "decide";
    else if (opened !== undefined && mine === opened) outcome = "current";
    else if (mine === current || opened === current) outcome = "mine";
    else outcome = "decide";
    values[field.name] = outcome === "mine" ? mine : current;
    if (opened !== current || mine !== current || (opened !== undefined && mine !== opened)) {
      outcomes.push({ field, opened, mine, current, outcome });
    }
  }
  return { values, outcomes, conflicts: outcomes.filter((outcome) => outcome.outcome === "decide") };
}

/** Options of {@link renderFields}. */
export interface RenderFieldsOptions {
  readonly errors?: FormErrors | undefined;
  /** Fields to decide: shown as a choice between the current value and the user's entry. */
  readonly conflicts?: readonly FieldOutcome[] | undefined;
}

/** Renders the fields of a form in order, consecutive fields of one group in a fieldset. */
export function renderFields(
  fields: readonly FormField[],
  values: FormValues,
  options: RenderFieldsOptions = {},
): SafeHtml {
  const parts: HtmlValue[] = [];
  let index = 0;
  while (index < fields.length) {
    const group = fields[index]?.group;
    const members: FormField[] = [];
    while (index < fields.length && fields[index]?.group === group) {
      const field = fields[index];
      if (field !== undefined) members.push(field);
      index += 1;
    }
    const rendered = members.map((field) => renderField(field, values[field.name] ?? "", options));
    parts.push(
      group === undefined
        ? rendered
        : html`<fieldset>
            <legend>${group}</legend>
            ${rendered}
          </fieldset>`,
    );
  }
  return html`${parts}`;
}

function renderField(field: FormField, value: string, options: RenderFieldsOptions): SafeHtml {
  const conflict = options.conflicts?.find((outcome) => outcome.field.name === field.name);
  if (conflict !== undefined) return renderDecision(conflict, options.errors);
  const { control, name } = field;
  const errors = options.errors;
  if (control.type === "checkbox") {
    return html`${checkbox(name, field.label, value === "on", errors, field.readOnly === true)}${
      field.hint === undefined ? "" : html`<p class="hint">${field.hint}</p>`
    }`;
  }
  if (control.type === "text") {
    return textInput({
      field: name,
      label: control.optional === true ? `${field.label} (optional)` : field.label,
      value,
      errors,
      ...(control.inputType === undefined ? {} : { type: control.inputType }),
      ...(control.maxLength === undefined ? {} : { maxLength: control.maxLength }),
      ...(control.min === undefined ? {} : { min: control.min }),
      ...(control.max === undefined ? {} : { max: control.max }),
      ...(control.required === undefined ? {} : { required: control.required }),
      ...(field.readOnly === undefined ? {} : { readOnly: field.readOnly }),
      ...(field.hint === undefined ? {} : { hint: field.hint }),
    });
  }
  const messages = errors?.at(name) ?? [];
  const radios = control.options.map(
    (option) =>
      html`<div class="check">
        <input
          type="radio"
          id="${name}-${option.value}"
          name="${name}"
          value="${option.value}"
          ${value === option.value ? html` checked` : ""}${field.readOnly === true ? html` disabled` : ""}
        />
        <label for="${name}-${option.value}"
          >${option.label}${option.note === undefined ? "" : html` <span class="muted">${option.note}</span>`}</label
        >
      </div>`,
  );
  return html`<fieldset
    id="${name}"
    ${messages.length > 0 ? html` class="invalid" aria-describedby="${name}-error"` : ""}
  >
    <legend>${control.legend}</legend>
    ${messages.length > 0 ? html`<p class="error" id="${name}-error">${messages.join(" ")}</p>` : ""}
    ${radios}
  </fieldset>`;
}

/**
 * A field both the user and someone else changed: the user chooses between the current value
 * and their own entry, neither preselected, so that Commit cannot save it unseen.
 */
function renderDecision(conflict: FieldOutcome, errors: FormErrors | undefined): SafeHtml {
  const { field, mine, current } = conflict;
  const messages = errors?.at(field.name) ?? [];
  const option = (which: "current" | "mine", value: string, label: string) =>
    html`<div class="check">
      <input type="radio" id="${field.name}-keep-${which}" name="${field.name}" value="${value}" />
      <label for="${field.name}-keep-${which}"
        >${label}: <strong>${describeValue(field, value)}</strong></label
      >
    </div>`;
  return html`<fieldset class="decision" id="${field.name}" aria-describedby="${field.name}-decide">
      <legend>${field.label}</legend>
      <p class="error" id="${field.name}-decide">
        Changed by someone else while you edited it, to a value other than yours: choose which to save.
      </p>
      ${messages.length > 0 ? html`<p class="error" id="${field.name}-error">${messages.join(" ")}</p>` : ""}
      ${option("current", current, "Keep the current value")} ${option("mine", mine, "Use your entry")}
    </fieldset>
    <input type="hidden" name="${MINE_PREFIX}${field.name}" value="${mine}" />`;
}

/** The hidden fields of the values the form is opened with, so that a post tells what the user changed. */
export function openedFields(fields: readonly FormField[], opened: FormValues): SafeHtml {
  return html`${editableFields(fields).map(
    (field) =>
      html`<input type="hidden" name="${OPENED_PREFIX}${field.name}" value="${opened[field.name] ?? ""}" />`,
  )}`;
}

/** The fields of an object as a list of facts (label, value in words), for a token that may only read. */
export function renderFacts(fields: readonly FormField[], values: FormValues): SafeHtml {
  return html`${fields.map(
    (field) =>
      html`<dt>${field.label}</dt>
        <dd>${describeValue(field, values[field.name])}</dd>`,
  )}`;
}
