import { federationKind, imProviderKind } from "../../../core";
import { describeImpactLine, requestImpact } from "../../../cli/plan/extensions/request-impact";
import type { StoreView } from "../../../cli/plan/store-view";

// The impact of a plan on incoming requests, checked against expectations written from the
// sentences of the Lync procedure that are quoted beside each test, not from the
// decision function's code.

type Bag = Record<string, unknown>;

function view(federationEnabled: boolean, providers: readonly Bag[]): StoreView {
  return new Map<string, Bag[]>([
    [federationKind.name, [{ enabled: federationEnabled }]],
    [
      imProviderKind.name,
      providers.map((provider) => ({ kind: "public", proxyFqdn: "sip.yahoo.com", ...provider })),
    ],
  ]);
}

function lines(before: StoreView, after: StoreView): string[] {
  return requestImpact(before, after).lines.map(describeImpactLine);
}

describe("the impact of a plan on incoming requests", () => {
  it("of a verificationLevel change from trusting the provider's verification to contacts only", () => {
    // Seed, "Allow communications only with users verified by this provider": "Requests marked
    // as unverified are handled as described for the Allow communications only with users on
    // recipients' contact lists option. Requests marked as verified are handled as described for
    // the Allow all communications with this provider option."
    // Seed, "Allow communications only with users on recipients' contact lists": "the server
    // running the Access Edge service marks all incoming presence subscription requests as
    // unverified. If the sender is already on the recipient's Allow list, the internal server
    // responds to that request. Otherwise, the request is rejected. Similarly, requests for an
    // IM session that are marked unverified are rejected by the client."
    // So: a verified sender not in the recipient's contacts, accepted before, is rejected now
    // (presence by the home server, IM by the client); unverified senders are handled alike
    // before and after. A request with no assertion at all was rejected at the Access Edge as
    // unverifiable (docs/architecture.md, the decision for an incoming request); with contacts only, every request is marked
    // unverified, so one from a sender in the recipient's contacts now gets through.
    const before = view(true, [
      { name: "Yahoo!", enabled: true, verificationLevel: "UseSourceVerification" },
    ]);
    const after = view(true, [{ name: "Yahoo!", enabled: true, verificationLevel: "AlwaysUnverifiable" }]);
    expect(lines(before, after)).toEqual([
      "Yahoo!: IM, verified, sender not in contacts: accept → reject (client)",
      "Yahoo!: IM, no assertion, sender in contacts: reject → accept (client)",
      "Yahoo!: presence, verified, sender not in contacts: accept → reject (home-server)",
      "Yahoo!: presence, no assertion, sender in contacts: reject → accept (home-server)",
    ]);
  });

  it("of turning federation off: every request a provider accepted is rejected at the Access Edge", () => {
    // The Lync procedure: "You can configure support for public IM providers, even if you have not enabled
    // federation for your organization. However, the provider support that you configure is in
    // effect only when you have federation enabled for your organization."
    // Seed, "Allow all communications with this provider": "the server running the Access Edge
    // service marks all messages as verified. [...] all messages are handled according to
    // settings on the client": every request from Contoso is accepted while federation is on.
    // A provider whose communications are not enabled accepted nothing, so nothing of it flips.
    const providers = [
      { name: "Contoso", enabled: true, verificationLevel: "AlwaysVerifiable" },
      { name: "AOL", enabled: false, verificationLevel: "UseSourceVerification" },
    ];
    const impact = requestImpact(view(true, providers), view(false, providers));
    expect(impact.providers).toBe(1);
    expect(impact.lines.map(describeImpactLine)).toEqual(
      ["IM", "presence"].flatMap((request) =>
        ["verified", "unverified", "no assertion"].flatMap((assertion) =>
          ["not in contacts", "in contacts"].map(
            (contacts) => `Contoso: ${request}, ${assertion}, sender ${contacts}: accept → reject (edge)`,
          ),
        ),
      ),
    );
  });

  it("of turning federation on shows each enabled provider's requests that get through, and none of a disabled one", () => {
    const providers = [
      { name: "Yahoo!", enabled: true, verificationLevel: "AlwaysUnverifiable" },
      { name: "AOL", enabled: false, verificationLevel: "AlwaysVerifiable" },
    ];
    // Contacts only: only senders on the recipient's contact list get through.
    expect(lines(view(false, providers), view(true, providers))).toEqual([
      "Yahoo!: IM, verified, sender in contacts: reject → accept (client)",
      "Yahoo!: IM, unverified, sender in contacts: reject → accept (client)",
      "Yahoo!: IM, no assertion, sender in contacts: reject → accept (client)",
      "Yahoo!: presence, verified, sender in contacts: reject → accept (home-server)",
      "Yahoo!: presence, unverified, sender in contacts: reject → accept (home-server)",
      "Yahoo!: presence, no assertion, sender in contacts: reject → accept (home-server)",
    ]);
  });

  it("says no request changes outcome when only a disabled provider's filtering changes", () => {
    const before = view(true, [{ name: "AOL", enabled: false, verificationLevel: "UseSourceVerification" }]);
    const after = view(true, [{ name: "AOL", enabled: false, verificationLevel: "AlwaysVerifiable" }]);
    expect(requestImpact(before, after)).toEqual({ providers: 0, lines: [], unknown: [] });
  });
});
