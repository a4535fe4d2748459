import { Federation, ImProvider } from "imfed";

// Federation for the organization (Control Panel: "Enable communications with federated
// users"). Provider settings are in effect only while it is on (the Lync procedure).
const federation = new Federation("federation", { enabled: true });

// Yahoo! is one of the built-in public providers a store holds, present but not enabled: this
// resource adopts it. "contacts only" is the Control Panel's "Allow communications only with
// users on recipients' contact lists". Destroying the stack puts Yahoo! back as it was seeded.
const yahoo = new ImProvider("yahoo", {
  name: "Yahoo!",
  kind: "public",
  proxyFqdn: "sip.yahoo.com",
  enabled: true,
  verificationLevel: "AlwaysUnverifiable",
});

// A hosted provider that shares the organization's SIP address space (split domain).
const fabrikam = new ImProvider("fabrikam", {
  name: "Fabrikam Hosted IM",
  kind: "hosted",
  proxyFqdn: "sip.fabrikam.example",
  enabled: true,
  enabledSharedAddressSpace: true,
  hostsOcsUsers: true,
});

/** Whether federation is on, as the store has it. */
export const federationEnabled = federation.enabled;
/** Who last changed Yahoo!, and how: a block from the Control Panel shows here after a refresh. */
export const yahooLastChange = {
  enabled: yahoo.enabled,
  by: yahoo.updatedBy,
  via: yahoo.updatedVia,
  at: yahoo.updatedAt,
  reason: yahoo.updateReason,
};
/** The hosted provider's revision in the store. */
export const fabrikamRevision = fabrikam.revision;
