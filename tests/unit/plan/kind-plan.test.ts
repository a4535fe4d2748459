import { z } from "zod";
import { defineKind, imProviderKind } from "../../../core";
import type { ResourceKind } from "../../../core";
import { planKind } from "../../../cli/plan/kind-plan";
import { secretPlaceholder } from "../../../cli/plan/stack-config";
import { UNKNOWN } from "../../../provider/results";

// The generic plan of one kind: each declared resource against the store's objects, judged by
// the provider's own check, diff and adoption rule.

type Bag = Record<string, unknown>;
const kind = imProviderKind as unknown as ResourceKind;
const AT = "2026-11-30T09:00:00.000Z";

function record(spec: Bag, via: string, updatedAt = AT): Bag {
  const filled = imProviderKind.parse(spec) as Bag;
  return {
    ...filled,
    builtIn: imProviderKind.isBuiltIn(filled),
    revision: 7,
    createdAt: AT,
    updatedAt,
    updatedBy: via === "pulumi" ? "gitops" : "alice",
    updatedVia: via,
    updateReason: null,
  };
}

function declared(name: string, inputs: Bag) {
  return { type: imProviderKind.typeToken, name, inputs };
}

const HOSTED = { name: "Fabrikam", kind: "hosted", proxyFqdn: "sip.fabrikam.example", enabled: true };

describe("the plan of a kind", () => {
  it("replaces a hosted provider whose Access Edge moves, saying which fields a hosted provider changes in place", () => {
    const [object] = planKind(
      kind,
      [declared("fabrikam", { ...HOSTED, proxyFqdn: "sip2.fabrikam.example" })],
      [record(HOSTED, "pulumi")],
    ).objects;
    expect(object?.action).toBe("replace");
    expect(object?.changes).toEqual([
      {
        field: "proxyFqdn",
        before: "sip.fabrikam.example",
        after: "sip2.fabrikam.example",
        forcesReplace: true,
      },
    ]);
    expect(object?.replaceReason).toBe(
      "proxyFqdn cannot change in place: a hosted provider changes in place only in enabled, verificationLevel, enabledSharedAddressSpace, hostsOcsUsers, isLocal, autodiscoverUrl and sipClientPort (Lync has no cmdlet parameter that changes the others)",
    );
  });

  it("shows inputs the provider's check refuses as an error with each property path", () => {
    const [object] = planKind(
      kind,
      [declared("bad", { ...HOSTED, proxyFqdn: "not a name", enabled: "yes" })],
      [],
    ).objects;
    expect(object?.action).toBe("error");
    expect(object?.notes).toEqual([
      expect.stringMatching(/^proxyFqdn: /),
      expect.stringMatching(/^enabled: /),
    ]);
  });

  it("refuses a secret configuration value it cannot decrypt in a setting, naming the key", () => {
    const [object] = planKind(
      kind,
      [declared("fabrikam", { ...HOSTED, autodiscoverUrl: secretPlaceholder("federation:autodiscover") })],
      [],
    ).objects;
    expect(object?.action).toBe("error");
    expect(object?.notes[0]).toContain(
      'autodiscoverUrl holds the secret configuration value "federation:autodiscover"',
    );
  });

  it("refuses two resources that declare the same object, ignoring case", () => {
    const objects = planKind(
      kind,
      [
        declared("one", HOSTED),
        declared("two", { ...HOSTED, name: "FABRIKAM", proxyFqdn: "sip3.fabrikam.example" }),
      ],
      [],
    ).objects;
    expect(objects.map((object) => object.action)).toEqual(["create", "error"]);
    expect(objects[1]?.notes).toEqual([
      'the resources "one" and "two" both declare provider "FABRIKAM": keep one',
    ]);
  });

  it("adopts an existing provider created outside Pulumi when the program says adopt: true", () => {
    const [object] = planKind(
      kind,
      [declared("fabrikam", { ...HOSTED, enabled: false, adopt: true })],
      [record(HOSTED, "control-panel")],
    ).objects;
    expect(object?.action).toBe("adopt");
    expect(object?.changes).toEqual([{ field: "enabled", before: true, after: false, forcesReplace: false }]);
  });

  it("plans a built-in written by Pulumi and no longer declared as restored to its defaults", () => {
    const yahoo = record(
      { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com", enabled: true },
      "pulumi",
    );
    const [object] = planKind(kind, [], [yahoo]).objects;
    expect(object?.action).toBe("delete");
    expect(object?.after).toEqual({
      name: "Yahoo!",
      kind: "public",
      proxyFqdn: "sip.yahoo.com",
      enabled: false,
      verificationLevel: "UseSourceVerification",
    });
    expect(object?.changes).toEqual([{ field: "enabled", before: true, after: false, forcesReplace: false }]);
  });

  it("plans a create whose name is known only after apply, saying it cannot tell whether it exists", () => {
    const [object] = planKind(kind, [declared("later", { ...HOSTED, name: UNKNOWN })], []).objects;
    expect(object?.action).toBe("create");
    expect(object?.id).toBe("(known after apply)");
    expect(object?.changes).toContainEqual({
      field: "name",
      before: null,
      after: "(known after apply)",
      forcesReplace: false,
    });
  });
});

describe("the plan of a kind it has never seen", () => {
  // A kind that exists only here, defined as core/kinds defines one: the plan reads everything
  // from the definition (identity, which fields change in place, the built-ins).
  const partnerKind = defineKind({
    name: "AllowedDomain",
    title: "allowed SIP domain",
    noun: "allowed domain",
    path: "allowed-domains",
    description: "A federated partner's SIP domain.",
    identity: { field: "domain", auditPrefix: "allowed-domain" },
    fields: {
      domain: {
        type: z.string(),
        change: "replace",
        example: "contoso.example",
        description: "The domain.",
        cmdlet: "-Identity",
        label: "Domain",
        flag: "domain",
      },
      proxyFqdn: {
        type: z.string(),
        change: "replace",
        example: "sip.contoso.example",
        description: "The partner's Access Edge.",
        cmdlet: "-ProxyFqdn",
        label: "Access Edge",
        flag: "proxy-fqdn",
      },
      comment: {
        type: z.string(),
        optional: true,
        change: "in-place",
        example: "a partner",
        description: "Why.",
        cmdlet: "-Comment",
        label: "Comment",
        flag: "comment",
      },
    },
  }) as unknown as ResourceKind;

  it("creates, updates in place and replaces with the reason derived from its definition", () => {
    const stored = (spec: Bag) => ({
      ...spec,
      createdAt: AT,
      updatedAt: AT,
      updatedBy: "gitops",
      updatedVia: "pulumi",
      revision: 3,
      updateReason: null,
    });
    const resource = (name: string, inputs: Bag) => ({ type: partnerKind.typeToken, name, inputs });
    const objects = planKind(
      partnerKind,
      [
        resource("new", { domain: "new.example", proxyFqdn: "sip.new.example" }),
        resource("commented", { domain: "a.example", proxyFqdn: "sip.a.example", comment: "renewed" }),
        resource("moved", { domain: "b.example", proxyFqdn: "sip2.b.example" }),
      ],
      [
        stored({ domain: "a.example", proxyFqdn: "sip.a.example" }),
        stored({ domain: "b.example", proxyFqdn: "sip.b.example" }),
      ],
    ).objects;
    expect(objects.map((object) => [object.id, object.action])).toEqual([
      ["new.example", "create"],
      ["a.example", "update"],
      ["b.example", "replace"],
    ]);
    expect(objects[1]?.changes).toEqual([
      { field: "comment", before: null, after: "renewed", forcesReplace: false },
    ]);
    expect(objects[2]?.replaceReason).toBe(
      "proxyFqdn cannot change in place: an allowed domain changes in place only in comment (Lync has no cmdlet parameter that changes the others)",
    );
  });
});
