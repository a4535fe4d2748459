import type { FederationRecord, FederationSettings } from "../../core";
import { FEDERATION_FIELDS } from "../../core";
import type { FormErrors } from "./form-fields";
import { csrfField, reasonInput } from "./form-fields";
import type { SafeHtml } from "./html";
import { html } from "./html";
import type { PageFrame } from "./layout";
import { canWrite, renderPage, timeOf } from "./layout";
import type { FieldOutcome, FormField, FormValues } from "./object-form";
import { openedFields, renderFacts, renderFields, valuesOf } from "./object-form";

/**
 * The labels of the federation settings, after Lync Server Control Panel's Access Edge
 * Configuration (Set-CsAccessEdgeConfiguration: AllowFederatedUsers, EnablePartnerDiscovery,
 * EnableArchivingDisclaimer, AllowOutsideUsers, AllowAnonymousUsers).
 */
export const FEDERATION_FIELD_LABELS: Readonly<Record<keyof FederationSettings, string>> = {
  enabled: "Enable federation and public IM connectivity",
  partnerDiscovery: "Enable partner domain discovery",
  archivingDisclaimer: "Send archiving disclaimer to federated partners",
  remoteUserAccess: "Enable remote user access",
  anonymousUserAccess: "Enable anonymous user access to conferences",
};

/** The fields of the federation form: one checkbox per setting. */
export const FEDERATION_FORM_FIELDS: readonly FormField[] = FEDERATION_FIELDS.map((name) => ({
  name,
  label: FEDERATION_FIELD_LABELS[name],
  control: { type: "checkbox" as const },
  group: "Federation for the organization",
}));

/** The form values of the stored settings. */
export function federationValuesOf(record: FederationRecord): FormValues {
  return valuesOf(FEDERATION_FORM_FIELDS, record);
}

/** Options of {@link renderFederationPage}. */
export interface FederationForm {
  readonly values: FormValues;
  readonly reason: string;
  readonly errors?: FormErrors | undefined;
  /** The values and revision the form is opened with (hidden fields). */
  readonly opened: FormValues;
  readonly revision: number;
  readonly conflicts?: readonly FieldOutcome[] | undefined;
  /** What changed since the form was opened, on a refused Commit. */
  readonly changed?: SafeHtml | undefined;
  readonly csrfToken: string;
}

/**
 * The Federation page: federation for the organization and the other Access Edge settings,
 * with the seed's note that provider settings are in effect only while federation is enabled.
 */
export function renderFederationPage(
  frame: PageFrame,
  record: FederationRecord,
  form: FederationForm,
): string {
  const { errors } = form;
  const note = html`<p class="note" role="note">
    Provider settings are in effect only while federation is enabled. You can configure providers while it is
    disabled; they take effect when it is enabled. Federation is now
    <strong>${record.enabled ? "enabled" : "disabled"}</strong>.
  </p>`;
  const lastWrite = html`<p class="muted">
    Revision ${record.revision}, last changed by ${record.updatedBy} via ${record.updatedVia} at
    ${timeOf(record.updatedAt)}${record.updateReason === null ? "" : html` (reason: ${record.updateReason})`}.
  </p>`;
  const body = canWrite(frame.principal)
    ? html`${errors?.summary() ?? ""} ${form.changed ?? ""}
        <form class="stacked" method="post" action="/federation" novalidate>
          ${csrfField(form.csrfToken)}
          <input type="hidden" name="revision" value="${form.revision}" />
          ${openedFields(FEDERATION_FORM_FIELDS, form.opened)}
          ${renderFields(FEDERATION_FORM_FIELDS, form.values, { errors, conflicts: form.conflicts })}
          ${reasonInput(form.reason, errors)}
          <div class="actions"><button type="submit">Commit</button><a href="/federation">Cancel</a></div>
        </form>`
    : html`<dl class="facts">
        ${renderFacts(FEDERATION_FORM_FIELDS, valuesOf(FEDERATION_FORM_FIELDS, record))}
      </dl>`;
  return renderPage(
    { ...frame, title: "Federation", section: "federation" },
    html`<h1>Federation</h1>
      ${note}${lastWrite}${body}`,
  );
}
