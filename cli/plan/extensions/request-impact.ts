import type { Assertion, DecisionContext, IncomingRequest, RequestKind } from "../../../core";
import { compareNames, decideIncomingRequest, federationKind, imProviderKind, nameKey } from "../../../core";
import { isUnknown } from "../../../provider/results";
import type { Impact, ImpactLine } from "../plan-model";
import type { StoreView } from "../store-view";

// The plan's one kind-specific part, named and kept here: what the IM service providers and
// the federation settings mean to incoming requests (core's `decideIncomingRequest`, the rules
// of the Lync procedure's "filtering options for incoming communications"). The generic plan hands it
// the store before and after; it reads the two kinds' fields by name, as only an extension may.

type Bag = Readonly<Record<string, unknown>>;

const REQUESTS: readonly RequestKind[] = ["im", "presence"];
const ASSERTIONS: readonly Assertion[] = ["verified", "unverified", "none"];
const CONTACTS: readonly boolean[] = [false, true];

type ProviderContext = NonNullable<DecisionContext["provider"]>;

function providersOf(view: StoreView): Map<string, ProviderContext | "unknown"> {
  const providers = new Map<string, ProviderContext | "unknown">();
  for (const provider of view.get(imProviderKind.name) ?? []) {
    const name = provider.name;
    if (typeof name !== "string" || isUnknown(name)) continue;
    const { enabled, verificationLevel } = provider;
    providers.set(
      nameKey(name) ?? name,
      isUnknown(enabled) || isUnknown(verificationLevel)
        ? "unknown"
        : ({
            name,
            enabled: enabled === true,
            verificationLevel: verificationLevel ?? imProviderKind.field("verificationLevel").default,
          } as ProviderContext),
    );
  }
  return providers;
}

function federationOf(view: StoreView): boolean | "unknown" {
  const settings: Bag | undefined = view.get(federationKind.name)?.[0];
  const enabled = settings?.enabled ?? federationKind.field("enabled").default;
  return isUnknown(enabled) ? "unknown" : enabled === true;
}

/**
 * Which incoming requests change outcome (accept ↔ reject) between the store before and after
 * the plan, for every provider in either: every request kind × the sender's assertion × whether
 * the sender is in the recipient's contacts, decided by core's `decideIncomingRequest`. A
 * provider or switch whose value is known only after apply is left out (the plan notes it).
 */
export function requestImpact(before: StoreView, after: StoreView): Impact {
  const was = providersOf(before);
  const will = providersOf(after);
  const federationWas = federationOf(before);
  const federationWill = federationOf(after);
  const names = new Map<string, string>();
  for (const [key, provider] of [...was, ...will]) {
    if (provider !== "unknown") names.set(key, provider.name);
  }
  const unknown: string[] = [];
  const lines: ImpactLine[] = [];
  const keys = [...new Set([...was.keys(), ...will.keys()])].sort((a, b) =>
    compareNames(names.get(a) ?? a, names.get(b) ?? b),
  );
  for (const key of keys) {
    const old = was.get(key);
    const next = will.get(key);
    const name = names.get(key) ?? key;
    if (
      old === "unknown" ||
      next === "unknown" ||
      federationWas === "unknown" ||
      federationWill === "unknown"
    ) {
      unknown.push(name);
      continue;
    }
    for (const request of REQUESTS) {
      for (const assertion of ASSERTIONS) {
        for (const senderInContacts of CONTACTS) {
          const incoming: IncomingRequest = { provider: name, request, assertion, senderInContacts };
          const then = decideIncomingRequest(incoming, { federationEnabled: federationWas, provider: old });
          const now = decideIncomingRequest(incoming, { federationEnabled: federationWill, provider: next });
          if (then.decision === now.decision) continue;
          lines.push({
            provider: name,
            request,
            assertion,
            senderInContacts,
            before: { decision: then.decision, decidedBy: then.decidedBy },
            after: { decision: now.decision, decidedBy: now.decidedBy, reason: now.reason },
          });
        }
      }
    }
  }
  return { providers: new Set(lines.map((line) => line.provider)).size, lines, unknown };
}

/** One impact line in words: `Yahoo!: IM, unverified, sender not in contacts: accept → reject (client)`. */
export function describeImpactLine(line: ImpactLine): string {
  const request = line.request === "im" ? "IM" : "presence";
  const assertion = line.assertion === "none" ? "no assertion" : line.assertion;
  const contacts = line.senderInContacts ? "sender in contacts" : "sender not in contacts";
  return `${line.provider}: ${request}, ${assertion}, ${contacts}: ${line.before.decision} → ${line.after.decision} (${line.after.decidedBy})`;
}
