import { z } from "zod";
import { federationKind, imProviderKind } from "../core";

// The organization policies of imfed, written once: the Pulumi policy pack (policy/pack.ts)
// and `imfed plan` (cli/plan) both evaluate these rules, so a pipeline without the Pulumi CLI
// enforces what `pulumi preview --policy-pack` enforces. Imports core only.

type Bag = Readonly<Record<string, unknown>>;

/** How a violation counts: a mandatory one fails the preview or the plan, an advisory one is reported. */
export type PolicyLevel = "mandatory" | "advisory";

/** The policies' configuration: the partner domains a provider's Access Edge may be in. */
export const policyConfigSchema = z.strictObject({
  /**
   * The DNS domains a provider's `proxyFqdn` may be in (the domain itself or a name under it),
   * such as `["yahoo.com", "fabrikam.example"]`; absent, the rule checks nothing.
   */
  allowedPartnerDomains: z
    .array(z.string().min(1, { error: "must not be empty" }), { error: "must be a list of domain names" })
    .optional(),
});
/** The policies' configuration. */
export type PolicyConfig = z.infer<typeof policyConfigSchema>;

/** What a rule knows about the whole program besides the resource it judges. */
export interface ProgramContext {
  /** The program's federation switch (`enabled` of its Federation); `undefined` when it declares none or it is not known yet. */
  readonly federationEnabled: boolean | undefined;
}

/** One organization policy: its name, level, reason, the kind it judges and how. */
export interface PolicyRule {
  /** The rule's name, as the policy pack and the plan report it (kebab-case). */
  readonly name: string;
  readonly level: PolicyLevel;
  /** What the rule requires and why, as the policy pack's description and docs/policy.md say it. */
  readonly description: string;
  /** The kind whose resources it judges (a kind's `name`). */
  readonly kind: string;
  /**
   * `resource` when a resource's own settings decide; `program` when the rule needs the rest of
   * the program too (the policy pack then checks it over the whole stack).
   */
  readonly scope: "resource" | "program";
  /** The violation's message for a resource's settings, or `undefined` when the settings comply. */
  check(settings: Bag, program: ProgramContext, config: PolicyConfig): string | undefined;
}

/** Tells whether an FQDN is a domain or a name under it (ASCII case ignored). */
export function inDomain(fqdn: string, domain: string): boolean {
  const name = fqdn.toLowerCase().replace(/\.$/, "");
  const suffix = domain.toLowerCase().replace(/^\./, "").replace(/\.$/, "");
  return name === suffix || name.endsWith(`.${suffix}`);
}

const ALWAYS_VERIFIABLE = "AlwaysVerifiable";

/** The rules, in the order they are reported. */
export const POLICY_RULES: readonly PolicyRule[] = [
  {
    name: "public-provider-not-allow-all",
    level: "mandatory",
    kind: imProviderKind.name,
    scope: "resource",
    description:
      'A public IM service provider may not "allow all communications" (verificationLevel AlwaysVerifiable): the Access Edge then marks every request from the provider\'s users as verified, so anyone on a public network reaches every user\'s client as if verified. Use "UseSourceVerification" or "AlwaysUnverifiable".',
    check(settings) {
      if (settings.kind !== "public" || settings.verificationLevel !== ALWAYS_VERIFIABLE) return undefined;
      return `public provider "${String(settings.name)}" allows all communications (verificationLevel "${ALWAYS_VERIFIABLE}"): set verificationLevel to "UseSourceVerification" or "AlwaysUnverifiable"`;
    },
  },
  {
    name: "provider-needs-federation",
    level: "advisory",
    kind: imProviderKind.name,
    scope: "program",
    description:
      'A provider enabled while the program\'s federation is disabled is not in effect: "the provider support that you configure is in effect only when you have federation enabled for your organization". Enable federation, or expect no request from the provider to be accepted.',
    check(settings, program) {
      if (settings.enabled !== true || program.federationEnabled !== false) return undefined;
      return `provider "${String(settings.name)}" is enabled, but the program's ${federationKind.noun} disable federation, so it is not in effect: no request from it is accepted until federation is enabled`;
    },
  },
  {
    name: "partner-domain-allowed",
    level: "mandatory",
    kind: imProviderKind.name,
    scope: "resource",
    description:
      "A provider's Access Edge (proxyFqdn) must be in one of the partner domains the organization allows (allowedPartnerDomains in the policy configuration): federating with an Access Edge elsewhere opens the organization to a partner nobody approved. Without a configured list the rule checks nothing.",
    check(settings, _program, config) {
      const allowed = config.allowedPartnerDomains;
      const fqdn = settings.proxyFqdn;
      if (allowed === undefined || typeof fqdn !== "string") return undefined;
      if (allowed.some((domain) => inDomain(fqdn, domain))) return undefined;
      return `provider "${String(settings.name)}" has its Access Edge at "${fqdn}", outside the allowed partner domains (${allowed.join(", ")}): use an Access Edge in one of them, or have the domain added to allowedPartnerDomains`;
    },
  },
];

/** One resource of a program, as the rules judge it. */
export interface ProgramResource {
  /** Its kind's `name`. */
  readonly kind: string;
  /** The Pulumi resource name. */
  readonly resource: string;
  readonly settings: Bag;
}

/** One violation of a rule by a resource. */
export interface RuleViolation {
  readonly rule: string;
  readonly level: PolicyLevel;
  readonly kind: string;
  readonly resource: string;
  readonly message: string;
}

/** The program context of a set of resources: the `enabled` of its Federation, if it declares one. */
export function programContextOf(resources: readonly ProgramResource[]): ProgramContext {
  const federation = resources.find((resource) => resource.kind === federationKind.name);
  const enabled = federation?.settings.enabled;
  return { federationEnabled: typeof enabled === "boolean" ? enabled : undefined };
}

/** Evaluates every rule on every resource of a program: the violations, in the order of the rules then the resources. */
export function evaluatePolicies(
  resources: readonly ProgramResource[],
  config: PolicyConfig,
): RuleViolation[] {
  const program = programContextOf(resources);
  const violations: RuleViolation[] = [];
  for (const rule of POLICY_RULES) {
    for (const resource of resources) {
      if (resource.kind !== rule.kind) continue;
      const message = rule.check(resource.settings, program, config);
      if (message !== undefined)
        violations.push({
          rule: rule.name,
          level: rule.level,
          kind: resource.kind,
          resource: resource.resource,
          message,
        });
    }
  }
  return violations;
}
