import type { DecisionContext, IncomingRequest } from "../core";
import { decideIncomingRequest } from "../core";
import type { Figure } from "./figure";
import { figure } from "./figure";
import type { BenchOptions } from "./options";

const LEVELS = ["UseSourceVerification", "AlwaysUnverifiable", "AlwaysVerifiable"] as const;

/** Decisions per second of core's `decideIncomingRequest`, in this process, over a mix of every rule. */
export function decisions(options: BenchOptions): Figure[] {
  const cases: [IncomingRequest, DecisionContext][] = [];
  for (const level of LEVELS) {
    for (const assertion of ["verified", "unverified", "none"] as const) {
      for (const senderInContacts of [true, false]) {
        cases.push([
          { provider: "Fabrikam", request: "im", assertion, senderInContacts },
          {
            federationEnabled: true,
            provider: { name: "Fabrikam", enabled: true, verificationLevel: level },
          },
        ]);
      }
    }
  }
  cases.push([cases[0]![0], { federationEnabled: false, provider: undefined }]);
  cases.push([cases[0]![0], { federationEnabled: true, provider: undefined }]);
  const iterations = options.small ? 10_000 : 5_000_000;
  let sink = 0;
  const started = performance.now();
  for (let index = 0; index < iterations; index++) {
    const [request, context] = cases[index % cases.length]!;
    if (decideIncomingRequest(request, context).decision !== undefined) sink++;
  }
  const seconds = (performance.now() - started) / 1000;
  if (sink !== iterations) throw new Error("a decision had no outcome");
  return [
    figure({
      key: "decisions",
      name: "decisions per second of decideIncomingRequest, one process",
      value: iterations / seconds,
      unit: "/s",
      target: { op: ">=", value: 1_000_000, of: "value" },
    }),
  ];
}
