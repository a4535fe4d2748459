import { Federation, ImProvider } from "imfed";

// The production federation settings. Every change is a pull request: the pipeline shows the
// plan on the pull request and applies it on merge (see README.md).
new Federation("federation", { enabled: true, partnerDiscovery: false, archivingDisclaimer: true });

// The built-in providers are adopted; declaring them keeps them under review too.
new ImProvider("msn", {
  name: "MSN",
  kind: "public",
  proxyFqdn: "federation.messenger.msn.com",
  enabled: false,
});
new ImProvider("aol", { name: "AOL", kind: "public", proxyFqdn: "sip.oscar.aol.com", enabled: false });
new ImProvider("yahoo", {
  name: "Yahoo!",
  kind: "public",
  proxyFqdn: "sip.yahoo.com",
  enabled: true,
  verificationLevel: "AlwaysUnverifiable",
});

// A partner's hosted service, taken over from the Control Panel with adopt: true.
new ImProvider("fabrikam", {
  name: "Fabrikam Hosted IM",
  kind: "hosted",
  proxyFqdn: "sip.fabrikam.example",
  enabled: true,
  enabledSharedAddressSpace: true,
  adopt: true,
});
