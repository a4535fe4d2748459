import type { ResourceKind } from "../../../core";
import { federationKind, findKind, imProviderKind } from "../../../core";
import type { ObjectStore } from "../../object-store";
import { html } from "../html";
import type { KindPaths } from "../kind-paths";
import { pathsOf } from "../kind-paths";
import type { ControlPanelExtension, StoredObject } from "./control-panel-extension";

// The provider's on/off switch ("Enable communications with this provider"), as its kind defines it.
const PROVIDER_ENABLED = "enabled";
const providerEnabledLabel = imProviderKind.field(PROVIDER_ENABLED).label;
// Federation for the organization (AllowFederatedUsers), read as generic code reads any kind's object.
const FEDERATION_ENABLED = "enabled";
const federation: ResourceKind = findKind(federationKind.name);

/**
 * The IM service providers in the Control Panel, after the Lync procedure "To configure
 * support for an IM service provider": External User Access > Providers (step 3), New > Public
 * or Hosted, a provider selected in the table then Edit > Show details (step 5), Commit
 * (step 6). The list, the menus and the forms themselves come from the kind's definition.
 */
export const imProviderExtension: ControlPanelExtension = {
  title: "Providers",
  navigation: { group: "External User Access", label: "Providers" },
  // Step 4 has the administrator select "Enable communications with this provider": a new
  // provider's form starts with it cleared, as `imfed providers create` makes a provider not
  // enabled unless told.
  newValues: { [PROVIDER_ENABLED]: false },
  note: federationNote,
  outcome: (record) =>
    `communications ${record[PROVIDER_ENABLED] === true ? "enabled" : "blocked (not enabled)"}`,
  deleteAdvice: (record: StoredObject, paths: KindPaths) =>
    html`To stop communications for a while instead, clear "${providerEnabledLabel}" on its
      <a href="${paths.details(imProviderKind.idOf(record))}">details</a>.`,
};

/**
 * The Lync procedure's note: "the provider support that you configure is in effect only when you have
 * federation enabled for your organization", shown on the providers' list while it is not.
 */
async function federationNote(objects: ObjectStore) {
  const settings: Readonly<Record<string, unknown>> = await objects.find(federation, federation.idOf({}));
  if (settings[FEDERATION_ENABLED] === true) return "";
  return html`<p class="note" role="note">
    <strong>Federation is disabled for the organization:</strong> the provider settings are configured but not
    in effect until federation is enabled on the <a href="${pathsOf(federation).page}">Federation</a> page.
  </p>`;
}
