import { html } from "../html";
import type { ControlPanelExtension, StoredObject } from "./control-panel-extension";

// Federation for the organization, as the kind defines it (AllowFederatedUsers).
const ENABLED = "enabled";

/**
 * The federation settings in the Control Panel (External User Access > Federation), with the
 * Lync procedure's note that provider settings are in effect only while federation is enabled; the form
 * itself comes from the kind's definition.
 */
export const federationExtension: ControlPanelExtension = {
  title: "Federation",
  navigation: { group: "External User Access", label: "Federation" },
  // The Lync procedure: "You can configure support for public IM providers, even if you have not enabled
  // federation for your organization. However, the provider support that you configure is in
  // effect only when you have federation enabled for your organization."
  note: async (_objects, record?: StoredObject) =>
    html`<p class="note" role="note">
      Provider settings are in effect only while federation is enabled. You can configure providers while it
      is disabled; they take effect when it is enabled. Federation is now
      <strong>${record?.[ENABLED] === true ? "enabled" : "disabled"}</strong>.
    </p>`,
  outcome: (record) => `federation is ${record[ENABLED] === true ? "enabled" : "disabled"}`,
};
