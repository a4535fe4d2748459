import type { ResourceKind } from "../../core";
import type { ControlPanelExtension, StoredObject } from "./extensions";
import type { FormErrors } from "./form-fields";
import { csrfField, reasonInput } from "./form-fields";
import type { SafeHtml } from "./html";
import { html } from "./html";
import { pathsOf } from "./kind-paths";
import type { PageFrame } from "./layout";
import { renderPage } from "./layout";
import { renderLastWrite, renderObjectFacts } from "./object-facts";

/** Options of {@link renderDeleteObject}. */
export interface DeleteObject {
  readonly kind: ResourceKind;
  readonly extension: ControlPanelExtension;
  /** The object as it is now; the form carries its revision. */
  readonly record: StoredObject;
  readonly reason: string;
  readonly errors?: FormErrors | undefined;
  /** What changed since the confirmation was opened, when a deletion was refused for it. */
  readonly changed?: SafeHtml | undefined;
  readonly csrfToken: string;
}

/** The confirmation of an object's deletion, for any collection kind: its settings now, and a reason. */
export function renderDeleteObject(frame: PageFrame, page: DeleteObject): string {
  const { kind, extension, record, errors } = page;
  const paths = pathsOf(kind);
  const id = kind.idOf(record);
  const content = html`<h1>Delete ${kind.noun} ${id}?</h1>
    ${errors?.summary() ?? ""} ${page.changed ?? ""}
    <p>
      The ${kind.describe(id)} will be removed. ${extension.deleteAdvice?.(record, paths) ?? ""}
      ${
        record.builtIn === true
          ? ` It is a built-in ${kind.noun}: the Pulumi provider restores it when its resource is deleted.`
          : ""
      }
    </p>
    <h2>Its settings now</h2>
    ${renderObjectFacts(kind, record)} ${renderLastWrite(kind, record)}
    <form class="stacked" method="post" action="${paths.remove(id)}">
      ${csrfField(page.csrfToken)}
      <input type="hidden" name="revision" value="${record.revision}" />
      ${reasonInput(page.reason, errors)}
      <div class="actions">
        <button type="submit" class="danger">Delete ${kind.noun}</button>
        <a href="${paths.page}">Cancel</a>
      </div>
    </form>`;
  return renderPage({ ...frame, title: `Delete ${kind.noun} ${id}`, section: paths.page }, content);
}
