import { KINDS, federationKind, findKind, imProviderKind, tryFindKind } from "../../../core/kinds";
import { nameKey } from "../../../core/names";

/**
 * The machinery every layer derives from a kind's definition (docs/architecture.md):
 * the fields of each variant, what forces a replacement, how values compare, merge patches,
 * identities and built-ins. The expectations are written from docs/architecture.md's domain tables.
 */

describe("the fields of each variant", () => {
  it("gives a public provider the common fields only", () => {
    expect(imProviderKind.fieldsOf("public")).toEqual([
      "name",
      "kind",
      "proxyFqdn",
      "enabled",
      "verificationLevel",
    ]);
  });

  it("gives a hosted provider the hosted-only fields too", () => {
    expect(imProviderKind.fieldsOf("hosted")).toEqual([
      "name",
      "kind",
      "proxyFqdn",
      "enabled",
      "verificationLevel",
      "enabledSharedAddressSpace",
      "hostsOcsUsers",
      "isLocal",
      "autodiscoverUrl",
      "sipClientPort",
    ]);
  });

  it("gives every field to a kind without variants", () => {
    expect(federationKind.variants).toEqual([]);
    expect(federationKind.fieldsOf(undefined)).toEqual(federationKind.fields);
  });
});

describe("changes that force a replacement", () => {
  it("lets a public provider change in place only in enabled and verificationLevel", () => {
    const inPlace = imProviderKind.fields.filter(
      (field) => !imProviderKind.replaceFieldsOf("public").includes(field),
    );
    expect(inPlace).toEqual(["enabled", "verificationLevel"]);
  });

  it("lets a hosted provider change in place in everything but name, kind and proxyFqdn", () => {
    expect(imProviderKind.replaceFieldsOf("hosted")).toEqual(["name", "kind", "proxyFqdn"]);
  });

  it("changes every federation setting in place", () => {
    expect(federationKind.replaceFieldsOf(undefined)).toEqual([]);
  });

  it("names the fields that cannot change, comparing names and FQDNs ignoring case", () => {
    const current = { name: "Contoso", kind: "public", proxyFqdn: "sip.contoso.com", enabled: true };
    expect(
      imProviderKind.fieldsThatCannotChange(current, {
        ...current,
        name: "CONTOSO",
        proxyFqdn: "SIP.contoso.com",
      }),
    ).toEqual([]);
    expect(
      imProviderKind.fieldsThatCannotChange(current, {
        ...current,
        proxyFqdn: "edge.contoso.com",
        enabled: false,
      }),
    ).toEqual(["proxyFqdn"]);
  });
});

describe("merge patches", () => {
  const hosted = {
    name: "Fabrikam",
    kind: "hosted",
    proxyFqdn: "sip.fabrikam.com",
    enabled: true,
    verificationLevel: "AlwaysVerifiable",
    isLocal: true,
    autodiscoverUrl: "https://a.fabrikam.com/x",
  };

  it("sets a member and clears a field given null, so that it takes its default", () => {
    const merged = imProviderKind.mergePatch(hosted, { enabled: false, verificationLevel: null });
    expect(merged.enabled).toBe(false);
    expect(imProviderKind.parse(merged)).toMatchObject({ verificationLevel: "UseSourceVerification" });
  });

  it("drops the fields a new variant does not have unless the patch names them", () => {
    expect(imProviderKind.mergePatch(hosted, { kind: "public" })).toEqual({
      name: "Fabrikam",
      kind: "public",
      proxyFqdn: "sip.fabrikam.com",
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    });
    expect(imProviderKind.mergePatch(hosted, { kind: "public", isLocal: true })).toHaveProperty(
      "isLocal",
      true,
    );
  });
});

describe("validation messages", () => {
  it("names a hosted-only field on a public provider as such", () => {
    const result = imProviderKind.validate({
      name: "A",
      kind: "public",
      proxyFqdn: "a.b.com",
      enabled: true,
      isLocal: false,
    });
    expect(result).toEqual({
      ok: false,
      details: [
        {
          path: "isLocal",
          message:
            "is a hosted-only setting: a public provider cannot have it (remove it, or make the provider hosted)",
        },
      ],
    });
  });

  it("calls any other extra field unknown", () => {
    const result = federationKind.validate({ bogus: true });
    expect(result).toEqual({ ok: false, details: [{ path: "bogus", message: "is not a known field" }] });
  });
});

describe("identities", () => {
  it("folds ASCII case only, so that a KELVIN SIGN or a dotted capital I names nothing", () => {
    expect(nameKey("Yahoo!")).toBe("yahoo!");
    expect(nameKey("\u212Aik")).toBeUndefined();
    expect(nameKey("\u0130nfo")).toBeUndefined();
    expect(nameKey("a\u0000b")).toBeUndefined();
    expect(imProviderKind.keyOf("\u212Aik")).toBeUndefined();
  });

  it("addresses the singleton by its id only", () => {
    expect(federationKind.singletonId).toBe("global");
    expect(federationKind.keyOf("global")).toBe("global");
    expect(federationKind.keyOf("other")).toBeUndefined();
    expect(federationKind.auditTarget("global")).toBe("federation");
    expect(imProviderKind.auditTarget("Yahoo!")).toBe("provider/Yahoo!");
  });

  it("finds every kind by its name", () => {
    for (const kind of KINDS) expect(findKind(kind.name)).toBe(kind);
    expect(tryFindKind("Nothing")).toBeUndefined();
    expect(() => findKind("Nothing")).toThrow('no resource kind named "Nothing"');
  });
});

describe("built-ins", () => {
  it("holds MSN, AOL and Yahoo! as public providers, present but not enabled, with the default filtering option", () => {
    expect(imProviderKind.builtIns).toEqual([
      {
        name: "MSN",
        kind: "public",
        proxyFqdn: "federation.messenger.msn.com",
        enabled: false,
        verificationLevel: "UseSourceVerification",
      },
      {
        name: "AOL",
        kind: "public",
        proxyFqdn: "sip.oscar.aol.com",
        enabled: false,
        verificationLevel: "UseSourceVerification",
      },
      {
        name: "Yahoo!",
        kind: "public",
        proxyFqdn: "sip.yahoo.com",
        enabled: false,
        verificationLevel: "UseSourceVerification",
      },
    ]);
  });

  it("tells a built-in by its name and the fields that cannot change, whatever its switches", () => {
    expect(
      imProviderKind.isBuiltIn({ name: "yahoo!", kind: "public", proxyFqdn: "SIP.yahoo.com", enabled: true }),
    ).toBe(true);
    expect(
      imProviderKind.isBuiltIn({
        name: "Yahoo!",
        kind: "public",
        proxyFqdn: "edge.yahoo.com",
        enabled: false,
      }),
    ).toBe(false);
    expect(
      imProviderKind.isBuiltIn({
        name: "Yahoo!",
        kind: "hosted",
        proxyFqdn: "sip.yahoo.com",
        enabled: false,
      }),
    ).toBe(false);
    expect(
      imProviderKind.isBuiltIn({
        name: "Contoso",
        kind: "public",
        proxyFqdn: "sip.contoso.com",
        enabled: false,
      }),
    ).toBe(false);
  });

  it("gives a singleton its defaults as the built-in", () => {
    expect(federationKind.tryFindBuiltIn("global")).toEqual({
      enabled: false,
      partnerDiscovery: false,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: false,
    });
  });
});

describe("every field of every kind", () => {
  it.each(KINDS.flatMap((kind) => kind.fields.map((field) => [kind.name, field] as const)))(
    "%s.%s has an example its own type takes, a description, a label and a CLI flag",
    (kindName, field) => {
      const definition = findKind(kindName).field(field);
      expect(definition.type.safeParse(definition.example).success).toBe(true);
      expect(definition.description).toMatch(/^[A-Z].*\.$/);
      expect(definition.label).not.toBe("");
      expect(definition.flag).toMatch(/^[a-z][a-z-]*$/);
      if ("default" in definition) expect(definition.type.safeParse(definition.default).success).toBe(true);
    },
  );
});
