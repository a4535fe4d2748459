import type { FederationRecord, FederationSettings } from "../../core";
import { FEDERATION_FIELDS } from "../../core";
import type { FormBody, FormErrors } from "./form-fields";
import { checkbox, checkboxField, csrfField, reasonInput, textField } from "./form-fields";
import { html } from "./html";
import type { PageFrame } from "./layout";
import { canWrite, renderPage, timeOf, yesNo } from "./layout";

/**
 * The labels of the federation settings, after Lync Server Control Panel's Access Edge
 * Configuration (Set-CsAccessEdgeConfiguration: AllowFederatedUsers, EnablePartnerDiscovery,
 * EnableArchivingDisclaimer, AllowOutsideUsers, AllowAnonymousUsers).
 */
export const FEDERATION_FIELD_LABELS: Readonly<Record<keyof FederationSettings | "reason", string>> = {
  enabled: "Enable federation and public IM connectivity",
  partnerDiscovery: "Enable partner domain discovery",
  archivingDisclaimer: "Send archiving disclaimer to federated partners",
  remoteUserAccess: "Enable remote user access",
  anonymousUserAccess: "Enable anonymous user access to conferences",
  reason: "Reason",
};

/** What the federation form holds. */
export interface FederationFormValues {
  readonly settings: FederationSettings;
  readonly reason: string;
  readonly revision?: number;
}

/** The form of the stored settings. */
export function federationValuesOf(record: FederationRecord): FederationFormValues {
  const settings = Object.fromEntries(
    FEDERATION_FIELDS.map((field) => [field, record[field]]),
  ) as FederationSettings;
  return { settings, reason: "", revision: record.revision };
}

/** Reads a submitted federation form: every setting is a checkbox, so each is given. */
export function federationValuesFromForm(body: FormBody): FederationFormValues {
  const settings = Object.fromEntries(
    FEDERATION_FIELDS.map((field) => [field, checkboxField(body, field)]),
  ) as FederationSettings;
  const revision = Number(textField(body, "revision"));
  return {
    settings,
    reason: textField(body, "reason"),
    ...(Number.isSafeInteger(revision) && revision > 0 ? { revision } : {}),
  };
}

/**
 * The Federation page: federation for the organization and the other Access Edge settings,
 * with the seed's note that provider settings are in effect only while federation is enabled.
 */
export function renderFederationPage(
  frame: PageFrame,
  record: FederationRecord,
  form: { readonly values: FederationFormValues; readonly errors?: FormErrors; readonly csrfToken: string },
): string {
  const { values, errors } = form;
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
    ? html`${errors?.summary() ?? ""}
        <form class="stacked" method="post" action="/federation" novalidate>
          ${csrfField(form.csrfToken)}
          ${values.revision === undefined ? "" : html`<input type="hidden" name="revision" value="${values.revision}" />`}
          <fieldset>
            <legend>Federation for the organization</legend>
            ${FEDERATION_FIELDS.map((field) => checkbox(field, FEDERATION_FIELD_LABELS[field], values.settings[field], errors))}
          </fieldset>
          ${reasonInput(values.reason, errors)}
          <div class="actions"><button type="submit">Commit</button><a href="/federation">Cancel</a></div>
        </form>`
    : html`<dl class="facts">
        ${FEDERATION_FIELDS.map(
          (field) =>
            html`<dt>${FEDERATION_FIELD_LABELS[field]}</dt>
              <dd>${yesNo(record[field])}</dd>`,
        )}
      </dl>`;
  return renderPage(
    { ...frame, title: "Federation", section: "federation" },
    html`<h1>Federation</h1>
      ${note}${lastWrite}${body}`,
  );
}
