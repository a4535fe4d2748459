import type {
  Policies,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { KINDS } from "../core";
import type { PolicyConfig, PolicyRule, ProgramResource } from "./rules";
import { POLICY_RULES, programContextOf } from "./rules";

// The organization policies as a Pulumi policy pack's policies (`@pulumi/policy`), for
// `pulumi preview --policy-pack`: the rules of policy/rules.ts, matched by imfed's type tokens.
// This module loads no `@pulumi/policy` code (types only): the pack's own project creates the
// PolicyPack (examples/policy-pack/index.ts), as the pack's process must.

type Bag = Record<string, unknown>;

// The pack's configuration of the rules that take one (`allowedPartnerDomains`), as JSON schema.
const CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    allowedPartnerDomains: {
      type: "array",
      items: { type: "string", minLength: 1 },
      description: "The DNS domains a provider's Access Edge (proxyFqdn) may be in.",
    },
  },
};

function typeTokenOf(rule: PolicyRule): string {
  const kind = KINDS.find((candidate) => candidate.name === rule.kind);
  if (kind === undefined)
    throw new Error(`policy rule "${rule.name}" names no kind of imfed: "${rule.kind}"`);
  return kind.typeToken;
}

function kindOfType(type: string): string | undefined {
  return KINDS.find((kind) => kind.typeToken === type)?.name;
}

function configOf(args: { getConfig<T extends object>(): T }): PolicyConfig {
  const config = args.getConfig<PolicyConfig>();
  return config.allowedPartnerDomains === undefined
    ? {}
    : { allowedPartnerDomains: config.allowedPartnerDomains };
}

function resourcePolicy(rule: PolicyRule) {
  const type = typeTokenOf(rule);
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.level,
    ...(rule.name === "partner-domain-allowed" ? { configSchema: CONFIG_SCHEMA } : {}),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (args.type !== type) return;
      const message = rule.check(args.props as Bag, { federationEnabled: undefined }, configOf(args));
      if (message !== undefined) reportViolation(message);
    },
  };
}

function stackPolicy(rule: PolicyRule) {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.level,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const resources: (ProgramResource & { urn: string })[] = [];
      for (const resource of args.resources) {
        const kind = kindOfType(resource.type);
        if (kind !== undefined)
          resources.push({
            kind,
            resource: resource.name,
            settings: resource.props as Bag,
            urn: resource.urn,
          });
      }
      const program = programContextOf(resources);
      const config = configOf(args);
      for (const resource of resources) {
        if (resource.kind !== rule.kind) continue;
        const message = rule.check(resource.settings, program, config);
        if (message !== undefined) reportViolation(message, resource.urn);
      }
    },
  };
}

/**
 * imfed's organization policies for a Pulumi policy pack: one policy per rule of
 * `POLICY_RULES`, with its name, description (the rule's reason) and enforcement level. Use:
 * `new PolicyPack("imfed", { policies: imfedPolicies })`.
 */
export const imfedPolicies: Policies = POLICY_RULES.map((rule) =>
  rule.scope === "resource" ? resourcePolicy(rule) : stackPolicy(rule),
);
