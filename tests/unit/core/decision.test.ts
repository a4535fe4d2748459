import type { Assertion, Decision, RequestKind, VerificationLevel } from "../../../core";
import { decideIncomingRequest, decisionSchema, incomingRequestSchema } from "../../../core";

/**
 * The decision for an incoming request (docs/architecture.md),
 * checked against an oracle written here from the Lync procedure's own sentences, never from the code
 * under test. The Lync procedure is the Lync Server documentation's "Specify Supported IM Service
 * Providers".
 */

type Expected = Pick<Decision, "decision" | "marking" | "decidedBy">;

interface Case {
  readonly verificationLevel: VerificationLevel;
  readonly assertion: Assertion;
  readonly request: RequestKind;
  readonly senderInContacts: boolean;
  readonly federationEnabled: boolean;
  readonly providerEnabled: boolean;
}

const REJECTED_AT_THE_EDGE: Expected = { decision: "reject", marking: null, decidedBy: "edge" };

/**
 * "Allow all communications with this provider: This setting means that you accept all
 * messages regardless of whether they are verified or not. If you choose this option, the
 * server running the Access Edge service marks all messages as verified. The recipient's home
 * pool or server notifies the client, and all messages are handled according to settings on
 * the client."
 */
function allowAllCommunications(): Expected {
  return { decision: "accept", marking: "verified", decidedBy: "client" };
}

/**
 * "Allow communications only with users on recipients' contact lists: ... the server running
 * the Access Edge service marks all incoming presence subscription requests as unverified. If
 * the sender is already on the recipient's Allow list, the internal server responds to that
 * request. Otherwise, the request is rejected. Similarly, requests for an IM session that are
 * marked unverified are rejected by the client." (rule 4 of the decision: an IM from a sender in
 * the recipient's contacts is delivered.)
 */
function onlyUsersOnContactLists(request: RequestKind, senderInContacts: boolean): Expected {
  if (request === "presence") {
    // "the internal server responds to that request. Otherwise, the request is rejected."
    return {
      decision: senderInContacts ? "accept" : "reject",
      marking: "unverified",
      decidedBy: "home-server",
    };
  }
  // "requests for an IM session that are marked unverified are rejected by the client"
  return { decision: senderInContacts ? "accept" : "reject", marking: "unverified", decidedBy: "client" };
}

/** The oracle: what the Lync procedure says happens to a request in that situation. */
function expectedFromTheSeed(c: Case): Expected {
  // Seed, Note: "the provider support that you configure is in effect only when you have
  // federation enabled for your organization."
  if (!c.federationEnabled) return REJECTED_AT_THE_EDGE;
  // Seed, step 4: "To prevent communications with this provider, clear the Enable
  // communications with this provider check box."
  if (!c.providerEnabled) return REJECTED_AT_THE_EDGE;
  switch (c.verificationLevel) {
    case "AlwaysVerifiable":
      return allowAllCommunications();
    case "AlwaysUnverifiable":
      // "you do not trust verification levels asserted by the IM service provider": the
      // assertion does not matter.
      return onlyUsersOnContactLists(c.request, c.senderInContacts);
    case "UseSourceVerification":
      // "you trust the IM service provider's verification level and handle incoming messages
      // accordingly. Requests marked as unverified are handled as described for the Allow
      // communications only with users on recipients' contact lists option. Requests marked as
      // verified are handled as described for the Allow all communications with this provider
      // option."
      if (c.assertion === "verified") return allowAllCommunications();
      if (c.assertion === "unverified") return onlyUsersOnContactLists(c.request, c.senderInContacts);
      // Rule 5 of the decision: no assertion at all cannot be trusted as anything, so the Access Edge
      // rejects it as unverifiable.
      return REJECTED_AT_THE_EDGE;
  }
}

const LEVELS: readonly VerificationLevel[] = [
  "UseSourceVerification",
  "AlwaysUnverifiable",
  "AlwaysVerifiable",
];
const ASSERTIONS: readonly Assertion[] = ["verified", "unverified", "none"];
const REQUESTS: readonly RequestKind[] = ["presence", "im"];
const BOOLEANS: readonly boolean[] = [true, false];

const MATRIX: Case[] = [];
for (const verificationLevel of LEVELS)
  for (const assertion of ASSERTIONS)
    for (const request of REQUESTS)
      for (const senderInContacts of BOOLEANS)
        for (const federationEnabled of BOOLEANS)
          for (const providerEnabled of BOOLEANS)
            MATRIX.push({
              verificationLevel,
              assertion,
              request,
              senderInContacts,
              federationEnabled,
              providerEnabled,
            });

function decide(c: Case, providerName = "Contoso IM"): Decision {
  return decideIncomingRequest(
    {
      provider: providerName,
      assertion: c.assertion,
      request: c.request,
      senderInContacts: c.senderInContacts,
    },
    {
      federationEnabled: c.federationEnabled,
      provider: { name: providerName, enabled: c.providerEnabled, verificationLevel: c.verificationLevel },
    },
  );
}

function expectASentence(reason: string): void {
  expect(reason.trim().length).toBeGreaterThan(10);
  expect(reason).toMatch(/[.!]$/);
}

describe("the decision for an incoming request", () => {
  it("has every combination of the matrix: 3 levels x 3 assertions x 2 requests x 2 x 2 x 2", () => {
    expect(MATRIX).toHaveLength(144);
    expect(new Set(MATRIX.map((c) => JSON.stringify(c))).size).toBe(144);
  });

  test.each(MATRIX.map((c) => [describeCase(c), c] as const))("%s", (_name, c) => {
    const decision = decide(c);
    expect(decisionSchema.parse(decision)).toEqual(decision);
    expect({ decision: decision.decision, marking: decision.marking, decidedBy: decision.decidedBy }).toEqual(
      expectedFromTheSeed(c),
    );
    expectASentence(decision.reason);
  });

  describe("rule 1: federation disabled", () => {
    it("rejects at the edge even an always-verifiable, enabled provider's verified IM from a contact", () => {
      const decision = decide({
        verificationLevel: "AlwaysVerifiable",
        assertion: "verified",
        request: "im",
        senderInContacts: true,
        federationEnabled: false,
        providerEnabled: true,
      });
      expect(decision).toMatchObject(REJECTED_AT_THE_EDGE);
      expect(decision.reason).toMatch(/federation/i);
    });

    it("rejects at the edge a request naming no configured provider, before looking for it", () => {
      const decision = decideIncomingRequest(
        { provider: "Nobody", assertion: "verified", request: "im", senderInContacts: true },
        { federationEnabled: false, provider: undefined },
      );
      expect(decision).toMatchObject(REJECTED_AT_THE_EDGE);
      expect(decision.reason).toMatch(/federation/i);
    });
  });

  describe("rule 2: no such provider, or the provider is not enabled", () => {
    it("rejects at the edge a request from a provider the store does not have", () => {
      const decision = decideIncomingRequest(
        { provider: "Unknown IM", assertion: "verified", request: "presence", senderInContacts: true },
        { federationEnabled: true, provider: undefined },
      );
      expect(decision).toMatchObject(REJECTED_AT_THE_EDGE);
      expectASentence(decision.reason);
      expect(decision.reason).toContain("Unknown IM");
    });

    it("rejects at the edge a verified IM from a contact when the provider is blocked", () => {
      const decision = decide({
        verificationLevel: "AlwaysVerifiable",
        assertion: "verified",
        request: "im",
        senderInContacts: true,
        federationEnabled: true,
        providerEnabled: false,
      });
      expect(decision).toMatchObject(REJECTED_AT_THE_EDGE);
      expect(decision.reason).toContain("Contoso IM");
    });
  });

  describe("rule 3: AlwaysVerifiable (allow all communications)", () => {
    it.each(ASSERTIONS)(
      "marks a presence subscription (asserted %s) as verified and leaves it to the client",
      (assertion) => {
        const decision = decide({
          verificationLevel: "AlwaysVerifiable",
          assertion,
          request: "presence",
          senderInContacts: false,
          federationEnabled: true,
          providerEnabled: true,
        });
        expect(decision).toMatchObject({ decision: "accept", marking: "verified", decidedBy: "client" });
      },
    );
  });

  describe("rule 4: AlwaysUnverifiable (only users on recipients' contact lists)", () => {
    const base = {
      verificationLevel: "AlwaysUnverifiable",
      assertion: "verified",
      federationEnabled: true,
      providerEnabled: true,
    } as const;

    it("marks even a verified presence subscription unverified and the home server answers it for a contact", () => {
      expect(decide({ ...base, request: "presence", senderInContacts: true })).toMatchObject({
        decision: "accept",
        marking: "unverified",
        decidedBy: "home-server",
      });
    });

    it("has the home server reject a presence subscription from a sender not in the contacts", () => {
      expect(decide({ ...base, request: "presence", senderInContacts: false })).toMatchObject({
        decision: "reject",
        marking: "unverified",
        decidedBy: "home-server",
      });
    });

    it("delivers an IM from a sender in the recipient's contacts", () => {
      expect(decide({ ...base, request: "im", senderInContacts: true })).toMatchObject({
        decision: "accept",
        marking: "unverified",
        decidedBy: "client",
      });
    });

    it("rejects an unverified IM when the sender is not in the recipient's contacts, at the client", () => {
      expect(decide({ ...base, request: "im", senderInContacts: false })).toMatchObject({
        decision: "reject",
        marking: "unverified",
        decidedBy: "client",
      });
    });
  });

  describe("rule 5: UseSourceVerification (users verified by this provider, the default)", () => {
    const base = {
      verificationLevel: "UseSourceVerification",
      federationEnabled: true,
      providerEnabled: true,
      senderInContacts: false,
    } as const;

    it("handles a verified request as allow-all: accepted, marked verified, the client decides", () => {
      expect(decide({ ...base, assertion: "verified", request: "im" })).toMatchObject({
        decision: "accept",
        marking: "verified",
        decidedBy: "client",
      });
    });

    it("handles an unverified IM as contact-lists-only: the client rejects it from a non-contact", () => {
      expect(decide({ ...base, assertion: "unverified", request: "im" })).toMatchObject({
        decision: "reject",
        marking: "unverified",
        decidedBy: "client",
      });
    });

    it("handles an unverified presence subscription from a contact as contact-lists-only: the home server answers", () => {
      expect(
        decide({ ...base, assertion: "unverified", request: "presence", senderInContacts: true }),
      ).toMatchObject({ decision: "accept", marking: "unverified", decidedBy: "home-server" });
    });

    it("rejects a request with no assertion at the edge as unverifiable, even from a contact", () => {
      const decision = decide({ ...base, assertion: "none", request: "presence", senderInContacts: true });
      expect(decision).toMatchObject(REJECTED_AT_THE_EDGE);
      expect(decision.reason).toMatch(/unverifiable/i);
    });
  });

  describe("the request as POST /v1/evaluate takes it", () => {
    it("defaults senderInContacts to false", () => {
      expect(
        incomingRequestSchema.parse({ provider: "MSN", assertion: "unverified", request: "im" }),
      ).toEqual({ provider: "MSN", assertion: "unverified", request: "im", senderInContacts: false });
    });

    it.each([
      [{ provider: "MSN", assertion: "maybe", request: "im" }],
      [{ provider: "MSN", assertion: "verified", request: "call" }],
      [{ provider: "MSN", assertion: "verified", request: "im", senderInContacts: "yes" }],
      [{ provider: "MSN", assertion: "verified", request: "im", extra: 1 }],
      [{ assertion: "verified", request: "im" }],
    ])("refuses %j", (input) => {
      expect(incomingRequestSchema.safeParse(input).success).toBe(false);
    });
  });
});

function describeCase(c: Case): string {
  return [
    c.verificationLevel,
    `asserted ${c.assertion}`,
    c.request,
    c.senderInContacts ? "sender in contacts" : "sender not in contacts",
    c.federationEnabled ? "federation on" : "federation off",
    c.providerEnabled ? "provider enabled" : "provider disabled",
  ].join(", ");
}
