import type {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { federationKind, imProviderKind } from "../../../core";
import type { PolicyConfig } from "../../../policy";
import { imfedPolicies, POLICY_RULES } from "../../../policy";

// Each organization policy on passing and failing resources, through the policy pack's own
// validation API: the `validateResource` or `validateStack` of the policy the pack serves,
// called with the arguments the policy analyzer passes (type token, inputs, configuration).

type Bag = Record<string, unknown>;

function policy(name: string) {
  const found = imfedPolicies.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no policy ${name}`);
  return found;
}

function resourceArgs(type: string, props: Bag, config: PolicyConfig = {}): ResourceValidationArgs {
  return {
    type,
    props,
    urn: `urn:pulumi:production::federation::${type}::r`,
    name: "r",
    opts: {} as ResourceValidationArgs["opts"],
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as ResourceValidationArgs;
}

async function violationsOf(
  name: string,
  type: string,
  props: Bag,
  config?: PolicyConfig,
): Promise<string[]> {
  const validate = (policy(name) as ResourceValidationPolicy).validateResource;
  const messages: string[] = [];
  for (const check of Array.isArray(validate) ? validate : [validate]) {
    await check?.(resourceArgs(type, props, config), (message) => messages.push(message));
  }
  return messages;
}

async function stackViolationsOf(name: string, resources: { type: string; name: string; props: Bag }[]) {
  const args = {
    resources: resources.map((resource) => ({
      ...resource,
      urn: `urn:pulumi:production::federation::${resource.type}::${resource.name}`,
      opts: {},
    })),
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as unknown as StackValidationArgs;
  const reported: { message: string; urn: string | undefined }[] = [];
  await (policy(name) as StackValidationPolicy).validateStack(args, (message, urn) =>
    reported.push({ message, urn }),
  );
  return reported;
}

const YAHOO = { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com", enabled: true };
const PROVIDER = imProviderKind.typeToken;

describe("the policy pack", () => {
  it("serves one policy per rule, with the rule's name, enforcement level and reason", () => {
    expect(imfedPolicies.map((p) => [p.name, p.enforcementLevel, p.description])).toEqual(
      POLICY_RULES.map((rule) => [rule.name, rule.level, rule.description]),
    );
  });

  describe("public-provider-not-allow-all (mandatory)", () => {
    it("passes a public provider that trusts its verification or allows contacts only, and a hosted one that allows all", async () => {
      for (const props of [
        { ...YAHOO, verificationLevel: "UseSourceVerification" },
        { ...YAHOO, verificationLevel: "AlwaysUnverifiable" },
        YAHOO,
        {
          name: "Fabrikam",
          kind: "hosted",
          proxyFqdn: "sip.fabrikam.example",
          enabled: true,
          verificationLevel: "AlwaysVerifiable",
        },
      ]) {
        expect(await violationsOf("public-provider-not-allow-all", PROVIDER, props)).toEqual([]);
      }
    });

    it("fails a public provider that allows all communications", async () => {
      expect(
        await violationsOf("public-provider-not-allow-all", PROVIDER, {
          ...YAHOO,
          verificationLevel: "AlwaysVerifiable",
        }),
      ).toEqual([
        'public provider "Yahoo!" allows all communications (verificationLevel "AlwaysVerifiable"): set verificationLevel to "UseSourceVerification" or "AlwaysUnverifiable"',
      ]);
    });

    it("judges only imfed's providers, by type token", async () => {
      expect(
        await violationsOf("public-provider-not-allow-all", "aws:s3/bucket:Bucket", {
          ...YAHOO,
          verificationLevel: "AlwaysVerifiable",
        }),
      ).toEqual([]);
    });
  });

  describe("partner-domain-allowed (mandatory)", () => {
    const config = { allowedPartnerDomains: ["yahoo.com", "fabrikam.example"] };

    it("passes an Access Edge in an allowed domain or under it, and checks nothing without a configured list", async () => {
      expect(await violationsOf("partner-domain-allowed", PROVIDER, YAHOO, config)).toEqual([]);
      expect(
        await violationsOf(
          "partner-domain-allowed",
          PROVIDER,
          { ...YAHOO, proxyFqdn: "Edge.SIP.Fabrikam.example" },
          config,
        ),
      ).toEqual([]);
      expect(
        await violationsOf("partner-domain-allowed", PROVIDER, { ...YAHOO, proxyFqdn: "sip.evil.example" }),
      ).toEqual([]);
    });

    it("fails an Access Edge outside the allowed domains, even one that merely ends like an allowed one", async () => {
      for (const proxyFqdn of ["sip.evil.example", "sip.notyahoo.com"]) {
        expect(
          await violationsOf("partner-domain-allowed", PROVIDER, { ...YAHOO, proxyFqdn }, config),
        ).toEqual([
          `provider "Yahoo!" has its Access Edge at "${proxyFqdn}", outside the allowed partner domains (yahoo.com, fabrikam.example): use an Access Edge in one of them, or have the domain added to allowedPartnerDomains`,
        ]);
      }
    });
  });

  describe("provider-needs-federation (advisory)", () => {
    it("passes an enabled provider while the program's federation is enabled, and a disabled one while it is disabled", async () => {
      expect(
        await stackViolationsOf("provider-needs-federation", [
          { type: federationKind.typeToken, name: "federation", props: { enabled: true } },
          { type: PROVIDER, name: "yahoo", props: YAHOO },
        ]),
      ).toEqual([]);
      expect(
        await stackViolationsOf("provider-needs-federation", [
          { type: federationKind.typeToken, name: "federation", props: { enabled: false } },
          { type: PROVIDER, name: "yahoo", props: { ...YAHOO, enabled: false } },
        ]),
      ).toEqual([]);
    });

    it("reports, on the provider's URN, an enabled provider while the program's federation is disabled", async () => {
      expect(
        await stackViolationsOf("provider-needs-federation", [
          { type: federationKind.typeToken, name: "federation", props: { enabled: false } },
          { type: PROVIDER, name: "yahoo", props: YAHOO },
        ]),
      ).toEqual([
        {
          message:
            'provider "Yahoo!" is enabled, but the program\'s federation settings disable federation, so it is not in effect: no request from it is accepted until federation is enabled',
          urn: `urn:pulumi:production::federation::${PROVIDER}::yahoo`,
        },
      ]);
    });
  });
});
