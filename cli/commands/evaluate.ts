import { Option } from "commander";
import type { Command } from "commander";
import type { Assertion, RequestKind } from "../../core";
import type { ConnectionOptions } from "../connection";
import { clientOf, storeCommand } from "../connection";
import { paint, printFacts, printJson } from "../output";

interface EvaluateOptions extends ConnectionOptions {
  readonly provider: string;
  readonly assertion: Assertion;
  readonly request: RequestKind;
  readonly inContacts?: boolean;
}

/**
 * `imfed evaluate`: how the store's current settings handle an incoming request from a
 * provider's user (docs/architecture.md, "The decision for an incoming request"). A rejection is an
 * answer, not an error: the exit code is 0 either way.
 */
export function evaluateCommand(): Command {
  return storeCommand(
    "evaluate",
    "decide an incoming request from a provider's user by the store's current settings",
  )
    .addOption(new Option("--provider <name>", "the provider the request comes from").makeOptionMandatory())
    .addOption(
      new Option("--assertion <assertion>", "what the provider's Access Edge asserted about the sender")
        .choices(["verified", "unverified", "none"])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--request <kind>", "a presence subscription or an IM session")
        .choices(["presence", "im"])
        .makeOptionMandatory(),
    )
    .addOption(new Option("--in-contacts", "the sender is on the recipient's contact (Allow) list"))
    .action(async (options: EvaluateOptions) => {
      const decision = await clientOf(options).evaluate({
        provider: options.provider,
        assertion: options.assertion,
        request: options.request,
        senderInContacts: options.inContacts === true,
      });
      if (options.json) return printJson(decision);
      printFacts([
        ["Decision", paint(decision.decision, decision.decision === "accept" ? "green" : "red")],
        ["Decided by", decision.decidedBy],
        ["Marking", decision.marking ?? "none"],
        ["Reason", decision.reason],
      ]);
    });
}
