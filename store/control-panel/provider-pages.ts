import type { ProviderKind, ProviderRecord, VerificationLevel } from "../../core";
import {
  DEFAULT_VERIFICATION_LEVEL,
  HOSTED_ONLY_FIELDS,
  MAX_AUTODISCOVER_URL_LENGTH,
  MAX_FQDN_LENGTH,
  MAX_PROVIDER_NAME_LENGTH,
  REPLACE_ON_CHANGE_FIELDS,
  VERIFICATION_LEVEL_LABELS,
} from "../../core";
import type { FormErrors } from "./form-fields";
import { csrfField, reasonInput } from "./form-fields";
import type { SafeHtml } from "./html";
import { html } from "./html";
import type { PageFrame } from "./layout";
import { canWrite, renderPage, timeOf, yesNo } from "./layout";
import type { FieldOutcome, FormField, FormValues } from "./object-form";
import { openedFields, renderFacts, renderFields, valuesOf } from "./object-form";

/** Whether a provider form makes a new provider (New > Public / Hosted) or changes one (Show details). */
export type ProviderFormMode = "create" | "edit";

const IDENTITY_HINT = "Cannot change: to change it, delete the provider and create a new one.";

/**
 * The fields of the provider form, with the seed's labels: Provider name, Access Edge (or
 * FQDN), Enable communications with this provider, the three filtering options (the default
 * marked), and for a hosted provider its hosted-only settings. When editing, the fields that
 * cannot change in place for the kind (DESIGN.md; Set-CsPublicProvider changes only enabled
 * and verificationLevel) are shown read-only.
 */
export function providerFormFields(kind: ProviderKind, mode: ProviderFormMode): FormField[] {
  const readOnly = (name: string) =>
    mode === "edit" && (REPLACE_ON_CHANGE_FIELDS[kind] as readonly string[]).includes(name);
  const fields: FormField[] = [
    {
      name: "name",
      label: "Provider name",
      control: { type: "text", required: true, maxLength: MAX_PROVIDER_NAME_LENGTH },
      hint:
        mode === "edit"
          ? IDENTITY_HINT
          : "A unique name: letters, digits, spaces and . _ - ! ( ), at most 64 characters.",
      readOnly: readOnly("name"),
    },
    {
      name: "proxyFqdn",
      label: "Access Edge (or FQDN)",
      control: { type: "text", required: true, maxLength: MAX_FQDN_LENGTH, trim: true },
      hint:
        mode === "edit"
          ? IDENTITY_HINT
          : "The fully qualified domain name of the provider's server running the Access Edge service, such as sip.example.com.",
      readOnly: readOnly("proxyFqdn"),
    },
    {
      name: "enabled",
      label: "Enable communications with this provider",
      hint: "Clear it to block the provider: communications with it are refused at the edge.",
      control: { type: "checkbox" },
    },
    {
      name: "verificationLevel",
      label: "Filtering option",
      control: {
        type: "choice",
        legend: "Filtering options for incoming communications",
        options: (Object.keys(VERIFICATION_LEVEL_LABELS) as VerificationLevel[]).map((level) => ({
          value: level,
          label: VERIFICATION_LEVEL_LABELS[level],
          ...(level === DEFAULT_VERIFICATION_LEVEL ? { note: "(default)" } : {}),
        })),
      },
    },
  ];
  return kind === "hosted" ? [...fields, ...HOSTED_PROVIDER_FIELDS] : fields;
}

// The hosted-only settings (Set-CsHostingProvider), the named extension of a hosted provider.
const HOSTED_GROUP = "Hosted provider settings";
const HOSTED_PROVIDER_FIELDS: readonly FormField[] = [
  {
    name: "enabledSharedAddressSpace",
    label: "Enable shared SIP address space",
    control: { type: "checkbox" },
    group: HOSTED_GROUP,
  },
  {
    name: "hostsOcsUsers",
    label: "Hosts Office Communications Server users",
    control: { type: "checkbox" },
    group: HOSTED_GROUP,
  },
  {
    name: "isLocal",
    label: "Is local (the provider runs inside this deployment)",
    control: { type: "checkbox" },
    group: HOSTED_GROUP,
  },
  {
    name: "autodiscoverUrl",
    label: "Autodiscover URL",
    control: {
      type: "text",
      inputType: "url",
      optional: true,
      trim: true,
      maxLength: MAX_AUTODISCOVER_URL_LENGTH,
    },
    hint: "An https URL, such as https://autodiscover.example.com/autodiscover",
    group: HOSTED_GROUP,
  },
];
// Every hosted-only field of the domain has its form field.
HOSTED_ONLY_FIELDS.forEach((name) => {
  if (!HOSTED_PROVIDER_FIELDS.some((field) => field.name === name))
    throw new Error(`the hosted provider form lacks the field "${name}"`);
});

/**
 * The empty form of a new provider: the default filtering option preselected, and "Enable
 * communications with this provider" cleared, as the seed's procedure has the administrator
 * select it (step 4) and `imfed providers create` makes a provider not enabled unless told.
 */
export function newProviderValues(kind: ProviderKind): FormValues {
  const values: Record<string, string> = {};
  for (const field of providerFormFields(kind, "create")) {
    values[field.name] =
      field.control.type === "checkbox"
        ? "off"
        : field.name === "verificationLevel"
          ? DEFAULT_VERIFICATION_LEVEL
          : "";
  }
  return values;
}

/** The form values of a stored provider. */
export function providerValuesOf(record: ProviderRecord): FormValues {
  return valuesOf(providerFormFields(record.kind, "edit"), record);
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
  const table = html`<div class="table-scroll">
    <table>
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
    </table>
  </div>`;
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
  readonly mode: ProviderFormMode;
  readonly kind: ProviderKind;
  readonly values: FormValues;
  readonly reason: string;
  readonly errors?: FormErrors | undefined;
  /** The stored provider, when editing. */
  readonly record?: ProviderRecord | undefined;
  /** The values and revision the form is opened with, when editing (hidden fields). */
  readonly opened?: FormValues | undefined;
  readonly revision?: number | undefined;
  /** Fields both the user and someone else changed, for the user to decide. */
  readonly conflicts?: readonly FieldOutcome[] | undefined;
  /** What changed since the form was opened, on a refused Commit. */
  readonly changed?: SafeHtml | undefined;
  readonly csrfToken: string;
}

/**
 * The provider form of New > Public / Hosted and of Edit > Show details: the fields of
 * {@link providerFormFields}, an optional reason, and Commit. An edit form carries the revision
 * and the values it was opened with, so that a Commit after someone else's change is refused
 * and never writes a value its user did not see.
 */
export function renderProviderForm(frame: PageFrame, form: ProviderForm): string {
  const { values, errors, mode, record, kind } = form;
  const fields = providerFormFields(kind, mode);
  const name = record?.name ?? values.name ?? "";
  const title = mode === "create" ? `New ${kind} provider` : `Provider ${name}`;
  const action = mode === "create" ? "/providers/new" : `/providers/details?name=${encodeURIComponent(name)}`;
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
    ${lastWrite} ${errors?.summary() ?? ""} ${form.changed ?? ""}
    <form class="stacked" method="post" action="${action}" novalidate>
      ${csrfField(form.csrfToken)}
      <input type="hidden" name="kind" value="${kind}" />
      ${form.revision === undefined ? "" : html`<input type="hidden" name="revision" value="${form.revision}" />`}
      ${form.opened === undefined ? "" : openedFields(fields, form.opened)}
      ${renderFields(fields, values, { errors, conflicts: form.conflicts })}
      ${reasonInput(form.reason, errors)}
      <div class="actions">
        <button type="submit">Commit</button>
        <a href="/providers">Cancel</a>
        ${
          mode === "edit"
            ? html`<a class="button secondary" href="/providers/delete?name=${encodeURIComponent(name)}"
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
  const fields = providerFormFields(record.kind, "edit").filter((field) => field.name !== "name");
  const content = html`<h1>Provider ${record.name}</h1>
    <dl class="facts">
      <dt>Provider name</dt>
      <dd>${record.name}${record.builtIn ? " (built-in)" : ""}</dd>
      <dt>Kind</dt>
      <dd>${record.kind === "public" ? "Public" : "Hosted"}</dd>
      ${renderFacts(fields, valuesOf(fields, record))}
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

/** Options of {@link renderDeleteProvider}. */
export interface DeleteProviderForm {
  /** The provider as it is now; the form carries its revision. */
  readonly record: ProviderRecord;
  readonly reason: string;
  readonly errors?: FormErrors | undefined;
  /** What changed since the confirmation was opened, when a deletion was refused for it. */
  readonly changed?: SafeHtml | undefined;
  readonly csrfToken: string;
}

/** The confirmation of a provider's deletion, with the provider's current settings and a reason. */
export function renderDeleteProvider(frame: PageFrame, form: DeleteProviderForm): string {
  const { record, errors } = form;
  const fields = providerFormFields(record.kind, "edit");
  const content = html`<h1>Delete provider ${record.name}?</h1>
    ${errors?.summary() ?? ""} ${form.changed ?? ""}
    <p>
      The provider ${record.name} (${record.proxyFqdn}) will be removed. To stop communications for a while
      instead, clear "Enable communications with this provider" on its
      <a href="/providers/details?name=${encodeURIComponent(record.name)}">details</a>.
      ${record.builtIn ? " It is a built-in provider: the Pulumi provider restores it when its resource is deleted." : ""}
    </p>
    <h2>Its settings now</h2>
    <dl class="facts">
      ${renderFacts(fields, valuesOf(fields, record))}
      <dt>Last changed</dt>
      <dd>
        by ${record.updatedBy} via ${record.updatedVia} at ${timeOf(record.updatedAt)} (revision
        ${record.revision})${record.updateReason === null ? "" : html`, reason: ${record.updateReason}`}
      </dd>
    </dl>
    <form class="stacked" method="post" action="/providers/delete?name=${encodeURIComponent(record.name)}">
      ${csrfField(form.csrfToken)}
      <input type="hidden" name="revision" value="${record.revision}" />
      ${reasonInput(form.reason, errors)}
      <div class="actions">
        <button type="submit" class="danger">Delete provider</button>
        <a href="/providers">Cancel</a>
      </div>
    </form>`;
  return renderPage({ ...frame, title: `Delete provider ${record.name}`, section: "providers" }, content);
}
