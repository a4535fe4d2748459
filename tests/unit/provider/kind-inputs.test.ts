import { z } from "zod";
import { defineKind, imProviderKind } from "../../../core";
import { checkInputs, diffInputs, placeholderOf, placeholderVariant } from "../../../provider";
import { UNKNOWN } from "../../../provider/results";

// Check and diff read everything from the kind: a kind no layer has seen before gets the same
// rules from its definition alone.
const partnerKind = defineKind({
  name: "Partner",
  title: "federated partner",
  noun: "partner",
  path: "partners",
  description: "A federated partner.",
  identity: { field: "domain", auditPrefix: "partner" },
  variants: {
    field: "type",
    values: {
      allowed: { label: "Allowed", cmdlets: ["New-CsAllowedDomain"], description: "An allowed domain." },
      blocked: { label: "Blocked", cmdlets: ["New-CsBlockedDomain"], description: "A blocked domain." },
    },
  },
  fields: {
    domain: {
      type: z.string().min(3),
      change: "replace",
      caseInsensitive: true,
      example: "fabrikam.example",
      description: "The partner's domain.",
      cmdlet: "Identity",
      label: "Domain",
      flag: "domain",
    },
    type: {
      type: z.enum(["allowed", "blocked"]),
      change: "replace",
      example: "blocked",
      description: "Allowed or blocked.",
      cmdlet: "",
      label: "Type",
      flag: "type",
    },
    edge: {
      type: z.string().min(3),
      optional: true,
      variants: ["allowed"],
      change: "in-place",
      caseInsensitive: true,
      example: "sip.fabrikam.example",
      description: "The partner's Access Edge.",
      cmdlet: "ProxyFqdn",
      label: "Access Edge",
      flag: "edge",
    },
    comment: {
      type: z.string(),
      default: "",
      change: { allowed: "in-place", blocked: "replace" },
      example: "a partner",
      description: "A comment.",
      cmdlet: "Comment",
      label: "Comment",
      flag: "comment",
    },
    marks: {
      type: z.number().int(),
      default: 0,
      variants: ["allowed"],
      change: "in-place",
      example: 2,
      description: "Marks.",
      cmdlet: "Marks",
      label: "Marks",
      flag: "marks",
    },
  },
  unique: [{ field: "edge", role: "the Access Edge" }],
});

const allowed = {
  domain: "fabrikam.example",
  type: "allowed",
  edge: "sip.fabrikam.example",
  comment: "",
  marks: 0,
  revision: 3,
};

function diffWith(change: Record<string, unknown>) {
  const { inputs, failures } = checkInputs(partnerKind, { ...allowed, revision: undefined, ...change });
  expect(failures).toEqual([]);
  return diffInputs(partnerKind, allowed, inputs);
}

describe("check and diff of a kind from its definition alone", () => {
  it("fill the defaults of the variant and refuse a field the variant does not have, naming the variant", () => {
    expect(checkInputs(partnerKind, { domain: "a.example", type: "allowed" }).inputs).toEqual({
      domain: "a.example",
      type: "allowed",
      comment: "",
      marks: 0,
    });
    expect(checkInputs(partnerKind, { domain: "a.example", type: "blocked", marks: 1 }).failures).toEqual([
      { property: "marks", reason: expect.stringContaining("allowed-only") },
    ]);
  });

  it("take adopt on a collection kind", () => {
    expect(checkInputs(partnerKind, { domain: "a.example", type: "blocked", adopt: true }).inputs.adopt).toBe(
      true,
    );
  });

  it("compare an identity or a key that differs only in ASCII case as the same", () => {
    expect(diffWith({ domain: "FABRIKAM.example", edge: "SIP.fabrikam.EXAMPLE" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("change in place or replace per variant, as the definition says", () => {
    expect(diffWith({ comment: "changed" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const blocked = { domain: "contoso.example", type: "blocked", comment: "" };
    expect(diffInputs(partnerKind, blocked, { ...blocked, comment: "changed" })).toEqual({
      changes: true,
      replaces: ["comment"],
      deleteBeforeReplace: true,
    });
  });

  it("delete before replacing when the replacement keeps the id or a unique key, and not when it keeps neither", () => {
    expect(diffWith({ type: "blocked", edge: undefined, marks: undefined })).toMatchObject({
      replaces: ["type"],
      deleteBeforeReplace: true,
    });
    expect(diffWith({ domain: "contoso.example" })).toEqual({
      changes: true,
      replaces: ["domain"],
      deleteBeforeReplace: true,
    });
    expect(diffWith({ domain: "contoso.example", edge: "sip.contoso.example" })).toEqual({
      changes: true,
      replaces: ["domain"],
      deleteBeforeReplace: false,
    });
  });

  it("judge the other fields against the variant with the most fields while the discriminator is unknown", () => {
    expect(placeholderVariant(partnerKind)).toBe("allowed");
    const { inputs, failures } = checkInputs(partnerKind, { domain: "a.example", type: UNKNOWN, marks: 2 });
    expect(failures).toEqual([]);
    // No default of a field only some variants have is added: the variant may turn out another.
    expect(inputs).toEqual({ domain: "a.example", type: UNKNOWN, marks: 2, comment: "" });
    expect(checkInputs(partnerKind, { domain: "a.example", type: UNKNOWN, marks: "2" }).failures).toEqual([
      { property: "marks", reason: expect.any(String) },
    ]);
  });

  it("stand in for an unknown value with the field's example, so that the other fields are still judged", () => {
    expect(placeholderOf(partnerKind, "domain")).toBe("fabrikam.example");
    expect(placeholderOf(imProviderKind, "proxyFqdn")).toBe(imProviderKind.field("proxyFqdn").example);
    expect(placeholderOf(imProviderKind, "kind")).toBe("hosted");
    const { failures } = checkInputs(partnerKind, { domain: UNKNOWN, type: "allowed", edge: "x" });
    expect(failures.map((failure) => failure.property)).toEqual(["edge"]);
  });
});
