import { expected } from "./messages";
import { z } from "zod";
import type { VerificationLevel } from "./kinds";
import { providerNameSchema } from "./kinds";

/** What the provider's Access Edge asserted about the sender: `verified`, `unverified`, or nothing. */
export const assertionSchema = z.enum(["verified", "unverified", "none"], {
  error: expected('"verified", "unverified" or "none"'),
});
/** What the provider's Access Edge asserted about the sender. */
export type Assertion = z.infer<typeof assertionSchema>;

/** The kind of incoming request: a presence subscription or an IM session. */
export const requestKindSchema = z.enum(["presence", "im"], { error: expected('"presence" or "im"') });
/** The kind of incoming request. */
export type RequestKind = z.infer<typeof requestKindSchema>;

/** An incoming request from a federated provider's user, as `POST /v1/evaluate` takes it. */
export const incomingRequestSchema = z.strictObject({
  provider: providerNameSchema,
  assertion: assertionSchema,
  request: requestKindSchema,
  senderInContacts: z.boolean({ error: expected("true or false") }).default(false),
});
/** An incoming request, defaults filled. */
export type IncomingRequest = z.infer<typeof incomingRequestSchema>;

/** The outcome for an incoming request. */
export const decisionSchema = z.object({
  decision: z.enum(["accept", "reject"]),
  marking: z.enum(["verified", "unverified"]).nullable(),
  decidedBy: z.enum(["edge", "home-server", "client"]),
  reason: z.string(),
});
/** The outcome for an incoming request: accepted or rejected, how it was marked, where it was decided and why. */
export type Decision = z.infer<typeof decisionSchema>;

/** What the decision needs to know of the store: federation for the organization and the provider. */
export interface DecisionContext {
  readonly federationEnabled: boolean;
  /** The provider the request came from, or `undefined` when the store has none of that name. */
  readonly provider:
    | { readonly name: string; readonly enabled: boolean; readonly verificationLevel: VerificationLevel }
    | undefined;
}

/**
 * Decides an incoming request from a federated IM service provider's user, by the rules of
 * the Lync procedure's "filtering options for incoming communications". Pure and allocation-light:
 * it runs for every evaluation.
 */
export function decideIncomingRequest(request: IncomingRequest, context: DecisionContext): Decision {
  // Rule 1 (the Lync procedure): provider support "is in effect only when you have federation enabled".
  if (!context.federationEnabled) {
    return reject(
      "edge",
      null,
      "Federation is disabled for the organization, so no IM service provider's settings are in effect.",
    );
  }
  const provider = context.provider;
  // Rule 2: an unknown provider, or one whose "Enable communications with this provider" is cleared.
  if (provider === undefined) {
    return reject("edge", null, `No IM service provider named "${request.provider}" is configured.`);
  }
  if (!provider.enabled) {
    return reject("edge", null, `Communications with the provider "${provider.name}" are not enabled.`);
  }
  switch (provider.verificationLevel) {
    case "AlwaysVerifiable":
      return treatAsVerified("the provider's filtering option allows all communications");
    case "AlwaysUnverifiable":
      return treatAsUnverified(
        request,
        "the provider's filtering option allows only users on recipients' contact lists",
      );
    case "UseSourceVerification":
      // The Lync procedure: "Requests marked as unverified are handled as described for the [contact lists]
      // option. Requests marked as verified are handled as described for the [allow all] option."
      if (request.assertion === "verified") return treatAsVerified("the provider verified the sender");
      if (request.assertion === "unverified")
        return treatAsUnverified(request, "the provider marked the sender unverified");
      return reject(
        "edge",
        null,
        "The provider asserted no verification level, so the Access Edge rejects the request as unverifiable.",
      );
  }
}

// Seed, "Allow all communications": the Access Edge "marks all messages as verified", the home
// server notifies the client, and "all messages are handled according to settings on the client".
function treatAsVerified(why: string): Decision {
  return {
    decision: "accept",
    marking: "verified",
    decidedBy: "client",
    reason: `Marked verified because ${why}; the recipient's client settings decide how it is handled.`,
  };
}

// Seed, "contact lists": presence subscriptions are answered by the internal server only when
// the sender is on the recipient's Allow list; unverified IM sessions are rejected by the client.
function treatAsUnverified(request: IncomingRequest, why: string): Decision {
  if (request.request === "presence") {
    return request.senderInContacts
      ? {
          decision: "accept",
          marking: "unverified",
          decidedBy: "home-server",
          reason: `Marked unverified because ${why}; the home server answers the presence subscription because the sender is on the recipient's contact list.`,
        }
      : reject(
          "home-server",
          "unverified",
          `Marked unverified because ${why}; the home server rejects the presence subscription because the sender is not on the recipient's contact list.`,
        );
  }
  return request.senderInContacts
    ? {
        decision: "accept",
        marking: "unverified",
        decidedBy: "client",
        reason: `Marked unverified because ${why}; the IM is delivered because the sender is on the recipient's contact list.`,
      }
    : reject(
        "client",
        "unverified",
        `Marked unverified because ${why}; the client rejects the IM because the sender is not on the recipient's contact list.`,
      );
}

function reject(decidedBy: Decision["decidedBy"], marking: Decision["marking"], reason: string): Decision {
  return { decision: "reject", marking, decidedBy, reason };
}
