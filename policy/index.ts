// The `imfed/policy` entry of the package: the organization policies, as rules (policy/rules.ts,
// which `imfed plan` evaluates too) and as a Pulumi policy pack's policies (policy/pack.ts).
export * from "./rules";
export { imfedPolicies } from "./pack";
