import type { ResourceKind } from "../../core";
import type { ControlPanelExtension, StoredObject } from "./extensions";
import type { SafeHtml } from "./html";
import { html } from "./html";
import { tableFieldsOf } from "./kind-form-fields";
import { pathsOf } from "./kind-paths";
import type { PageFrame } from "./layout";
import { canWrite, renderPage, timeOf, yesNo } from "./layout";
import type { FormField } from "./object-form";

/** Options of {@link renderObjectList}. */
export interface ObjectList {
  readonly kind: ResourceKind;
  readonly extension: ControlPanelExtension;
  readonly records: readonly StoredObject[];
  /** The kind's note above the table (the extension's), if any. */
  readonly note: SafeHtml | "";
}

/**
 * The list of a collection kind (External User Access > Providers): a table with a column per
 * field every variant has (the definition's labels; fields for details only are left out) and
 * who changed each object last, with the New and Edit menus of the Lync procedure for
 * administrators: New > one entry per variant, and a row selected, then Edit > Show details.
 */
export function renderObjectList(frame: PageFrame, list: ObjectList): string {
  const { kind, extension } = list;
  const paths = pathsOf(kind);
  const writable = canWrite(frame.principal);
  const identity = kind.identityField ?? "";
  const columns = tableFieldsOf(kind).filter((field) => field.name !== identity);
  const rows = list.records.map((record, index) => {
    const id = kind.idOf(record);
    return html`<tr>
      ${
        writable
          ? html`<td>
              <input type="radio" name="${paths.idParameter}" value="${id}" id="select-${index}" />
              <label class="visually-hidden" for="select-${index}">Select ${id}</label>
            </td>`
          : ""
      }
      <th scope="row">
        <a href="${paths.details(id)}">${id}</a
        >${record.builtIn === true ? html` <span class="muted">(built-in)</span>` : ""}
      </th>
      ${columns.map((field) => html`<td>${cellOf(kind, field, record[field.name])}</td> `)}
      <td>
        ${record.updatedBy} <span class="muted">via ${record.updatedVia}</span
        ><br />${timeOf(record.updatedAt)}
        ${record.updateReason === null ? "" : html`<div class="muted">Reason: ${record.updateReason}</div>`}
      </td>
    </tr>`;
  });
  const variants = kind.definition.variants;
  const newMenu =
    variants === undefined
      ? html`<a class="button secondary" href="${paths.create()}">New</a>`
      : html`<details class="menu">
          <summary>New</summary>
          <ul class="items">
            ${kind.variants.map(
              (variant) =>
                html`<li>
                  <a href="${paths.create(variant)}">${variants.values[variant]?.label ?? variant}</a>
                </li>`,
            )}
          </ul>
        </details>`;
  const toolbar = writable
    ? html`<div class="toolbar">
        ${newMenu}
        <details class="menu">
          <summary>Edit</summary>
          <ul class="items">
            <li><button type="submit">Show details</button></li>
          </ul>
        </details>
      </div>`
    : html`<p class="muted">Your token may only read: follow a ${kind.noun}'s link to see its settings.</p>`;
  const columnCount = columns.length + (writable ? 3 : 2);
  const table = html`<div class="table-scroll">
    <table>
      <caption class="visually-hidden">
        ${extension.title}
      </caption>
      <thead>
        <tr>
          ${writable ? html`<th scope="col"><span class="visually-hidden">Select</span></th>` : ""}
          <th scope="col">${kind.field(identity).label}</th>
          ${columns.map((field) => html`<th scope="col">${field.label}</th> `)}
          <th scope="col">Last changed</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="${columnCount}">None yet.${writable ? " Use New to add one." : ""}</td>
              </tr>`
            : rows
        }
      </tbody>
    </table>
  </div>`;
  const content = html`<h1>${extension.title}</h1>
    ${list.note}
    ${writable ? html`<form method="get" action="${paths.detailsPage}">${toolbar}${table}</form>` : html`${toolbar}${table}`}`;
  return renderPage({ ...frame, title: extension.title, section: paths.page }, content);
}

// A value in a table cell: Yes or No, a choice's label, the variant's name, the text, or none.
function cellOf(kind: ResourceKind, field: FormField, value: unknown): SafeHtml | string {
  if (field.control.type === "checkbox") return yesNo(value === true);
  if (value === undefined || value === null || value === "") return html`<span class="muted">none</span>`;
  if (typeof value !== "string") return String(value);
  if (field.control.type === "choice")
    return field.control.options.find((option) => option.value === value)?.label ?? value;
  if (field.name === kind.discriminator) return kind.definition.variants?.values[value]?.label ?? value;
  return value;
}
