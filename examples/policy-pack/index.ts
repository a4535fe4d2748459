import { PolicyPack } from "@pulumi/policy";
import { imfedPolicies } from "imfed/policy";

// imfed's organization policies (the rules `imfed plan` evaluates too), matched by imfed's type
// tokens. Configure the allowed partner domains in a policy config file, such as
// policy-config.json: {"partner-domain-allowed": {"allowedPartnerDomains": ["yahoo.com"]}},
// and run: pulumi preview --policy-pack examples/policy-pack --policy-pack-config policy-config.json
new PolicyPack("imfed", { policies: imfedPolicies });
