import type { ProviderKind, ProviderRecord, VerificationLevel } from "../../core";
import {
  DEFAULT_VERIFICATION_LEVEL,
  MAX_AUTODISCOVER_URL_LENGTH,
  MAX_FQDN_LENGTH,
  MAX_PROVIDER_NAME_LENGTH,
  VERIFICATION_LEVEL_LABELS,
} from "../../core";
import type { FormBody, FormErrors } from "./form-fields";
import { checkbox, checkboxField, csrfField, reasonInput, textField, textInput } from "./form-fields";
import type { SafeHtml } from "./html";
import { html } from "./html";
import type { PageFrame } from "./layout";
import { canWrite, renderPage, timeOf, yesNo } from "./layout";

/** The labels of the provider form's fields, as the Control Panel of the seed names them. */
export const PROVIDER_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "Provider name",
  proxyFqdn: "Access Edge (or FQDN)",
  enabled: "Enable communications with this provider",
  verificationLevel: "Filtering option",
  enabledSharedAddressSpace: "Enable shared SIP address space",
  hostsOcsUsers: "Hosts Office Communications Server users",
  isLocal: "Is local (the provider runs inside this deployment)",
  autodiscoverUrl: "Autodiscover URL",
  reason: "Reason",
};

const HOSTED_FLAGS = ["enabledSharedAddressSpace", "hostsOcsUsers", "isLocal"] as const;

/** What the provider form holds, as text and booleans, so that a refused form shows what was typed. */
export interface ProviderFormValues {
  readonly kind: ProviderKind;
  readonly name: string;
  readonly proxyFqdn: string;
  readonly enabled: boolean;
  readonly verificationLevel: string;
  readonly enabledSharedAddressSpace: boolean;
  readonly hostsOcsUsers: boolean;
  readonly isLocal: boolean;
  readonly autodiscoverUrl: string;
  readonly reason: string;
  /** The revision the form was opened at (edit only): the write is refused if it changed since. */
  readonly revision?: number;
}

/** The empty form of a new provider, with the default filtering option preselected. */
export function newProviderValues(kind: ProviderKind): ProviderFormValues {
  return {
    kind,
    name: "",
    proxyFqdn: "",
    enabled: true,
    verificationLevel: DEFAULT_VERIFICATION_LEVEL,
    enabledSharedAddressSpace: false,
    hostsOcsUsers: false,
    isLocal: false,
    autodiscoverUrl: "",
    reason: "",
  };
}

/** The form of a stored provider. */
export function providerValuesOf(record: ProviderRecord): ProviderFormValues {
  return {
    kind: record.kind,
    name: record.name,
    proxyFqdn: record.proxyFqdn,
    enabled: record.enabled,
    verificationLevel: record.verificationLevel,
    enabledSharedAddressSpace: record.kind === "hosted" && record.enabledSharedAddressSpace,
    hostsOcsUsers: record.kind === "hosted" && record.hostsOcsUsers,
    isLocal: record.kind === "hosted" && record.isLocal,
    autodiscoverUrl: record.kind === "hosted" ? (record.autodiscoverUrl ?? "") : "",
    reason: "",
    revision: record.revision,
  };
}

/** Reads a submitted provider form; `kind` and the identity come from the caller, not from the form alone. */
export function providerValuesFromForm(body: FormBody, kind: ProviderKind): ProviderFormValues {
  const revision = Number(textField(body, "revision"));
  return {
    kind,
    name: textField(body, "name"),
    proxyFqdn: textField(body, "proxyFqdn").trim(),
    enabled: checkboxField(body, "enabled"),
    verificationLevel: textField(body, "verificationLevel"),
    enabledSharedAddressSpace: checkboxField(body, "enabledSharedAddressSpace"),
    hostsOcsUsers: checkboxField(body, "hostsOcsUsers"),
    isLocal: checkboxField(body, "isLocal"),
    autodiscoverUrl: textField(body, "autodiscoverUrl").trim(),
    reason: textField(body, "reason"),
    ...(Number.isSafeInteger(revision) && revision > 0 ? { revision } : {}),
  };
}

/**
 * The fields a form writes: on create, the whole spec; on edit, what may change in place
 * (DESIGN.md: a public provider only `enabled` and `verificationLevel`; a hosted one all but
 * its name, kind and proxyFqdn). An empty autodiscover URL clears it. The store validates.
 */
export function providerBodyOf(values: ProviderFormValues, mode: "create" | "edit"): Record<string, unknown> {
  const body: Record<string, unknown> = {
    enabled: values.enabled,
    // A missing option (a hand-made post) is left to the store's validation as given.
    verificationLevel: values.verificationLevel === "" ? undefined : values.verificationLevel,
  };
  if (mode === "create")
    Object.assign(body, { name: values.name, kind: values.kind, proxyFqdn: values.proxyFqdn });
  if (values.kind === "hosted") {
    for (const flag of HOSTED_FLAGS) body[flag] = values[flag];
    body.autodiscoverUrl =
      values.autodiscoverUrl === "" ? (mode === "create" ? undefined : null) : values.autodiscoverUrl;
  }
  return body;
}

/** Options of {@link renderProvidersPage}. */
export interface ProvidersPage {
  readonly providers: readonly ProviderRecord[];
  readonly federationEnabled: boolean;
}

/**
 * The providers table (External User Access > Providers), with the New and Edit menus of the
 * seed's procedure for administrators: select a provider, Edit, Show details.
 */
export function renderProvidersPage(frame: PageFrame, page: ProvidersPage): string {
  const writable = canWrite(frame.principal);
  const rows = page.providers.map((provider, index) => {
    const detailsUrl = `/providers/details?name=${encodeURIComponent(provider.name)}`;
    return html`<tr>
      ${
        writable
          ? html`<td>
              <input type="radio" name="name" value="${provider.name}" id="select-${index}" />
              <label class="visually-hidden" for="select-${index}">Select ${provider.name}</label>
            </td>`
          : ""
      }
      <th scope="row">
        <a href="${detailsUrl}">${provider.name}</a
        >${provider.builtIn ? html` <span class="muted">(built-in)</span>` : ""}
      </th>
      <td>${provider.kind === "public" ? "Public" : "Hosted"}</td>
      <td>${provider.proxyFqdn}</td>
      <td>${yesNo(provider.enabled)}</td>
      <td>${VERIFICATION_LEVEL_LABELS[provider.verificationLevel]}</td>
      <td>
        ${provider.updatedBy} <span class="muted">via ${provider.updatedVia}</span
        ><br />${timeOf(provider.updatedAt)}
        ${provider.updateReason === null ? "" : html`<div class="muted">Reason: ${provider.updateReason}</div>`}
      </td>
    </tr>`;
  });
  const toolbar = writable
    ? html`<div class="toolbar">
        <details class="menu">
          <summary>New</summary>
          <ul class="items">
            <li><a href="/providers/new?kind=public">Public</a></li>
            <li><a href="/providers/new?kind=hosted">Hosted</a></li>
          </ul>
        </details>
        <details class="menu">
          <summary>Edit</summary>
          <ul class="items">
            <li><button type="submit">Show details</button></li>
          </ul>
        </details>
      </div>`
    : html`<p class="muted">Your token may only read: select a provider's name to see its settings.</p>`;
  const table = html`<table>
    <caption class="visually-hidden">
      IM service providers
    </caption>
    <thead>
      <tr>
        ${writable ? html`<th scope="col"><span class="visually-hidden">Select</span></th>` : ""}
        <th scope="col">Name</th>
        <th scope="col">Kind</th>
        <th scope="col">Access Edge FQDN</th>
        <th scope="col">Enabled</th>
        <th scope="col">Filtering option</th>
        <th scope="col">Last changed</th>
      </tr>
    </thead>
    <tbody>
      ${
        rows.length === 0
          ? html`<tr>
              <td colspan="7">No providers. Use New to add one.</td>
            </tr>`
          : rows
      }
    </tbody>
  </table>`;
  const content = html`<h1>Providers</h1>
    ${federationNote(page.federationEnabled)}
    ${writable ? html`<form method="get" action="/providers/details">${toolbar}${table}</form>` : html`${toolbar}${table}`}`;
  return renderPage({ ...frame, title: "Providers", section: "providers" }, content);
}

/** The seed's note: provider support is in effect only while federation is enabled. */
export function federationNote(federationEnabled: boolean): SafeHtml | "" {
  return federationEnabled
    ? ""
    : html`<p class="note" role="note">
        <strong>Federation is disabled for the organization:</strong> the provider settings are configured but
        not in effect until federation is enabled on the <a href="/federation">Federation</a> page.
      </p>`;
}

/** Options of {@link renderProviderForm}. */
export interface ProviderForm {
  readonly mode: "create" | "edit";
  readonly values: ProviderFormValues;
  readonly errors?: FormErrors;
  /** The stored provider, when editing. */
  readonly record?: ProviderRecord;
  readonly csrfToken: string;
}

/**
 * The provider form of New > Public / Hosted and of Edit > Show details, with the seed's fields
 * and labels: Provider name, Access Edge (or FQDN), Enable communications with this provider,
 * the three filtering options (the default preselected), hosted-only fields for hosted
 * providers, an optional reason, and Commit.
 */
export function renderProviderForm(frame: PageFrame, form: ProviderForm): string {
  const { values, errors, mode, record } = form;
  const kindLabel = values.kind === "public" ? "public" : "hosted";
  const title = mode === "create" ? `New ${kindLabel} provider` : `Provider ${values.name}`;
  const identityHint = "Cannot change: to change it, delete the provider and create a new one.";
  const options = (Object.keys(VERIFICATION_LEVEL_LABELS) as VerificationLevel[]).map(
    (level) =>
      html`<div class="check">
        <input
          type="radio"
          id="verificationLevel-${level}"
          name="verificationLevel"
          value="${level}"
          ${values.verificationLevel === level ? html` checked` : ""}
        />
        <label for="verificationLevel-${level}"
          >${VERIFICATION_LEVEL_LABELS[level]}${
            level === DEFAULT_VERIFICATION_LEVEL ? html` <span class="muted">(default)</span>` : ""
          }</label
        >
      </div>`,
  );
  const levelErrors = errors?.at("verificationLevel") ?? [];
  const hosted =
    values.kind === "hosted"
      ? html`<fieldset>
          <legend>Hosted provider settings</legend>
          ${checkbox("enabledSharedAddressSpace", PROVIDER_FIELD_LABELS.enabledSharedAddressSpace ?? "", values.enabledSharedAddressSpace, errors)}
          ${checkbox("hostsOcsUsers", PROVIDER_FIELD_LABELS.hostsOcsUsers ?? "", values.hostsOcsUsers, errors)}
          ${checkbox("isLocal", PROVIDER_FIELD_LABELS.isLocal ?? "", values.isLocal, errors)}
          ${textInput({
            field: "autodiscoverUrl",
            label: "Autodiscover URL (optional)",
            value: values.autodiscoverUrl,
            errors,
            type: "url",
            maxLength: MAX_AUTODISCOVER_URL_LENGTH,
            hint: "An https URL, such as https://autodiscover.example.com/autodiscover",
          })}
        </fieldset>`
      : "";
  const action =
    mode === "create" ? "/providers/new" : `/providers/details?name=${encodeURIComponent(values.name)}`;
  const lastWrite =
    record === undefined
      ? ""
      : html`<p class="muted">
          ${record.builtIn ? "Built-in provider. " : ""}Revision ${record.revision}, last changed by
          ${record.updatedBy} via ${record.updatedVia} at
          ${timeOf(record.updatedAt)}${
            record.updateReason === null ? "" : html` (reason: ${record.updateReason})`
          }.
        </p>`;
  const content = html`<h1>${title}</h1>
    ${lastWrite}
    ${errors?.summary() ?? ""}
    <form class="stacked" method="post" action="${action}" novalidate>
      ${csrfField(form.csrfToken)}
      <input type="hidden" name="kind" value="${values.kind}" />
      ${values.revision === undefined ? "" : html`<input type="hidden" name="revision" value="${values.revision}" />`}
      ${textInput({
        field: "name",
        label: "Provider name",
        value: values.name,
        errors,
        required: true,
        maxLength: MAX_PROVIDER_NAME_LENGTH,
        readOnly: mode === "edit",
        hint:
          mode === "edit"
            ? identityHint
            : "A unique name: letters, digits, spaces and . _ - ! ( ), at most 64 characters.",
      })}
      ${textInput({
        field: "proxyFqdn",
        label: "Access Edge (or FQDN)",
        value: values.proxyFqdn,
        errors,
        required: true,
        maxLength: MAX_FQDN_LENGTH,
        readOnly: mode === "edit",
        hint:
          mode === "edit"
            ? identityHint
            : "The fully qualified domain name of the provider's server running the Access Edge service, such as sip.example.com.",
      })}
      ${checkbox("enabled", "Enable communications with this provider", values.enabled, errors)}
      <p class="hint">Clear it to block the provider: communications with it are refused at the edge.</p>
      <fieldset${levelErrors.length > 0 ? html` class="invalid" aria-describedby="verificationLevel-error"` : ""}>
        <legend>Filtering options for incoming communications</legend>
        ${levelErrors.length > 0 ? html`<p class="error" id="verificationLevel-error">${levelErrors.join(" ")}</p>` : ""}
        ${options}
      </fieldset>
      ${hosted}
      ${reasonInput(values.reason, errors)}
      <div class="actions">
        <button type="submit">Commit</button>
        <a href="/providers">Cancel</a>
        ${
          mode === "edit"
            ? html`<a
                class="button secondary"
                href="/providers/delete?name=${encodeURIComponent(values.name)}"
                >Delete…</a
              >`
            : ""
        }
      </div>
    </form>`;
  return renderPage({ ...frame, title, section: "providers" }, content);
}

/** A provider's settings for a view-only token: the same facts, no controls. */
export function renderProviderView(frame: PageFrame, record: ProviderRecord): string {
  const hostedFacts =
    record.kind === "hosted"
      ? html`<dt>${PROVIDER_FIELD_LABELS.enabledSharedAddressSpace}</dt>
          <dd>${yesNo(record.enabledSharedAddressSpace)}</dd>
          <dt>${PROVIDER_FIELD_LABELS.hostsOcsUsers}</dt>
          <dd>${yesNo(record.hostsOcsUsers)}</dd>
          <dt>${PROVIDER_FIELD_LABELS.isLocal}</dt>
          <dd>${yesNo(record.isLocal)}</dd>
          <dt>Autodiscover URL</dt>
          <dd>${record.autodiscoverUrl ?? "none"}</dd>`
      : "";
  const content = html`<h1>Provider ${record.name}</h1>
    <dl class="facts">
      <dt>Provider name</dt>
      <dd>${record.name}${record.builtIn ? " (built-in)" : ""}</dd>
      <dt>Kind</dt>
      <dd>${record.kind === "public" ? "Public" : "Hosted"}</dd>
      <dt>Access Edge (or FQDN)</dt>
      <dd>${record.proxyFqdn}</dd>
      <dt>Enable communications with this provider</dt>
      <dd>${yesNo(record.enabled, "No (communications blocked)")}</dd>
      <dt>Filtering option</dt>
      <dd>${VERIFICATION_LEVEL_LABELS[record.verificationLevel]}</dd>
      ${hostedFacts}
      <dt>Last changed</dt>
      <dd>
        by ${record.updatedBy} via ${record.updatedVia} at ${timeOf(record.updatedAt)} (revision
        ${record.revision})
      </dd>
      <dt>Reason</dt>
      <dd>${record.updateReason ?? "none given"}</dd>
    </dl>
    <p><a href="/providers">Back to the providers</a></p>`;
  return renderPage({ ...frame, title: `Provider ${record.name}`, section: "providers" }, content);
}

/** The confirmation of a provider's deletion, with the reason. */
export function renderDeleteProvider(
  frame: PageFrame,
  record: ProviderRecord,
  csrfToken: string,
  reason: string,
  errors?: FormErrors,
): string {
  const content = html`<h1>Delete provider ${record.name}?</h1>
    ${errors?.summary() ?? ""}
    <p>
      The provider ${record.name} (${record.proxyFqdn}) will be removed. To stop communications for a while
      instead, clear "Enable communications with this provider" on its
      <a href="/providers/details?name=${encodeURIComponent(record.name)}">details</a>.
      ${record.builtIn ? " It is a built-in provider: the Pulumi provider restores it when its resource is deleted." : ""}
    </p>
    <form class="stacked" method="post" action="/providers/delete?name=${encodeURIComponent(record.name)}">
      ${csrfField(csrfToken)}
      <input type="hidden" name="revision" value="${record.revision}" />
      ${reasonInput(reason, errors)}
      <div class="actions">
        <button type="submit" class="danger">Delete provider</button>
        <a href="/providers">Cancel</a>
      </div>
    </form>`;
  return renderPage({ ...frame, title: `Delete provider ${record.name}`, section: "providers" }, content);
}
