import type { ResourceKind } from "../../core";
import type { ControlPanelExtension, StoredObject } from "./extensions";
import type { FormErrors } from "./form-fields";
import { csrfField, reasonInput } from "./form-fields";
import type { SafeHtml } from "./html";
import { html } from "./html";
import type { FormMode } from "./kind-form-fields";
import { formFieldsOf } from "./kind-form-fields";
import { pathsOf } from "./kind-paths";
import type { PageFrame } from "./layout";
import { canWrite, renderPage } from "./layout";
import { renderLastWrite, renderObjectFacts } from "./object-facts";
import type { FieldOutcome, FormValues } from "./object-form";
import { openedFields, renderFields } from "./object-form";

/** Options of {@link renderObjectDetails}. */
export interface ObjectDetails {
  readonly kind: ResourceKind;
  readonly extension: ControlPanelExtension;
  /** `create`: the New form of a collection's variant; `edit`: a stored object's details. */
  readonly mode: FormMode;
  /** The variant of a New form. */
  readonly variant?: string | undefined;
  /** The stored object, when editing. */
  readonly record?: StoredObject | undefined;
  readonly values: FormValues;
  readonly reason: string;
  readonly errors?: FormErrors | undefined;
  /** The values and revision the form is opened with, when editing (hidden fields). */
  readonly opened?: FormValues | undefined;
  readonly revision?: number | undefined;
  /** Fields both the user and someone else changed, for the user to decide. */
  readonly conflicts?: readonly FieldOutcome[] | undefined;
  /** What changed since the form was opened, on a refused Commit. */
  readonly changed?: SafeHtml | undefined;
  /** The kind's note above the form (the extension's), if any. */
  readonly note?: SafeHtml | "" | undefined;
  readonly csrfToken: string;
}

/**
 * The page of one object, for any kind: the New form of a collection's variant (New > Public),
 * a stored object's details (Edit > Show details, or a singleton's page such as Federation)
 * with its form and Commit, or, for a token that may only read, its settings as facts. The form
 * is the kind's form ({@link formFieldsOf}); an edit form carries the revision and the values it
 * was opened with, so that a Commit after someone else's change is refused and never writes a
 * value its user did not see.
 */
export function renderObjectDetails(frame: PageFrame, page: ObjectDetails): string {
  const { kind, extension, mode, record, errors } = page;
  const paths = pathsOf(kind);
  const singleton = kind.singletonId !== undefined;
  const id = record === undefined ? undefined : kind.idOf(record);
  const noun = kind.noun.charAt(0).toUpperCase() + kind.noun.slice(1);
  const title =
    mode === "create"
      ? `New ${page.variant === undefined ? "" : `${page.variant} `}${kind.noun}`
      : singleton
        ? extension.title
        : `${noun} ${id ?? ""}`;
  const lastWrite = record === undefined ? "" : renderLastWrite(kind, record);
  let body: SafeHtml;
  if (mode === "edit" && !canWrite(frame.principal) && record !== undefined) {
    body = html`${renderObjectFacts(kind, record)}
    ${singleton ? "" : html`<p><a href="${paths.page}">Back to ${extension.title}</a></p>`}`;
  } else {
    const variant =
      mode === "create" ? page.variant : record === undefined ? undefined : kind.variantOf(record);
    const fields = formFieldsOf(kind, variant, mode);
    const action = mode === "create" ? paths.create() : paths.details(id ?? "");
    const discriminator = kind.discriminator;
    body = html`${errors?.summary() ?? ""} ${page.changed ?? ""}
      <form class="stacked" method="post" action="${action}" novalidate>
        ${csrfField(page.csrfToken)}
        ${
          mode === "create" && discriminator !== undefined
            ? html`<input type="hidden" name="${discriminator}" value="${variant ?? ""}" />`
            : ""
        }
        ${page.revision === undefined ? "" : html`<input type="hidden" name="revision" value="${page.revision}" />`}
        ${page.opened === undefined ? "" : openedFields(fields, page.opened)}
        ${renderFields(fields, page.values, { errors, conflicts: page.conflicts })}
        ${reasonInput(page.reason, errors)}
        <div class="actions">
          <button type="submit">Commit</button>
          <a href="${paths.page}">Cancel</a>
          ${
            mode === "edit" && !singleton
              ? html`<a class="button secondary" href="${paths.remove(id ?? "")}">Delete…</a>`
              : ""
          }
        </div>
      </form>`;
  }
  const content = html`<h1>${title}</h1>
    ${page.note ?? ""}${lastWrite}${body}`;
  return renderPage({ ...frame, title, section: paths.page }, content);
}
