import type { ResourceKind } from "../../core";
import type { StoredObject } from "./extensions";
import type { SafeHtml } from "./html";
import { html } from "./html";
import { factFieldsOf } from "./kind-form-fields";
import { timeOf } from "./layout";
import { describeValue, valuesOf } from "./object-form";

/**
 * An object's settings as a list of facts (each field's label and its value in words), for a
 * token that may only read and for a delete confirmation: every field of the object's variant,
 * in the order of the kind's definition.
 */
export function renderObjectFacts(kind: ResourceKind, record: StoredObject): SafeHtml {
  const fields = factFieldsOf(kind, kind.variantOf(record));
  const values = valuesOf(fields, record);
  return html`<dl class="facts">
    ${fields.map(
      (field) =>
        html`<dt>${field.label}</dt>
          <dd>
            ${describeValue(field, values[field.name])}${
              field.name === kind.identityField && record.builtIn === true ? " (built-in)" : ""
            }
          </dd>`,
    )}
  </dl>`;
}

/** Who changed an object last, how, when and why, and its revision, in one sentence. */
export function renderLastWrite(kind: ResourceKind, record: StoredObject): SafeHtml {
  return html`<p class="muted">
    ${record.builtIn === true ? `Built-in ${kind.noun}. ` : ""}Revision ${record.revision}, last changed by
    ${record.updatedBy} via ${record.updatedVia} at
    ${timeOf(record.updatedAt)}${record.updateReason === null ? "" : html` (reason: ${record.updateReason})`}.
  </p>`;
}
