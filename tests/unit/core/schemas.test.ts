import type { HostedProviderSpec, ProviderSpec, PublicProviderSpec } from "../../../core";
import type { z } from "zod";
import { federationKind, imProviderKind, providerNameSchema, proxyFqdnSchema } from "../../../core";

type Bag = Readonly<Record<string, unknown>>;

// The rules below are read through the kinds' definitions, under the names the domain tables use.
const providerSpecSchema = imProviderKind.specSchema;
const publicProviderSpecSchema = imProviderKind.variantSchema(
  "public",
) as unknown as z.ZodType<PublicProviderSpec>;
const hostedProviderSpecSchema = imProviderKind.variantSchema(
  "hosted",
) as unknown as z.ZodType<HostedProviderSpec>;
const federationSettingsSchema = federationKind.specSchema;
const REPLACE_ON_CHANGE_FIELDS = {
  public: imProviderKind.replaceFieldsOf("public"),
  hosted: imProviderKind.replaceFieldsOf("hosted"),
};
const DEFAULT_FEDERATION_SETTINGS = federationKind.parse({});
const BUILT_IN_PROVIDERS = imProviderKind.builtIns;
const tryFindBuiltInProvider = (name: string) => imProviderKind.tryFindBuiltIn(name);
const isBuiltInProvider = (spec: Bag) => imProviderKind.isBuiltIn(spec);
const fieldsThatCannotChange = (current: Bag, next: Bag) =>
  imProviderKind.fieldsThatCannotChange(current, next);
const mergeProviderPatch = (current: Bag, patch: Bag) => imProviderKind.mergePatch(current, patch);
const mergeFederationPatch = (current: Bag, patch: Bag) => federationKind.mergePatch(current, patch);

/**
 * Every rule of the domain tables (docs/architecture.md, "The domain": the IM service provider
 * and the federation settings), checked on the core schemas the store, the client and the
 * provider all validate with.
 */

const publicSpec = (overrides: Record<string, unknown> = {}) => ({
  name: "Contoso IM",
  kind: "public",
  proxyFqdn: "sip.contoso.com",
  enabled: true,
  ...overrides,
});
const hostedSpec = (overrides: Record<string, unknown> = {}) => ({
  name: "Fabrikam Hosted",
  kind: "hosted",
  proxyFqdn: "proxy.fabrikam.com",
  enabled: true,
  ...overrides,
});

/**
 * The paths that fail for `value` against the provider schema (each once: a path may fail
 * more than one rule), or `[]` if it is valid.
 */
function failedPaths(value: unknown): string[] {
  const result = imProviderKind.validate(value);
  return result.ok ? [] : [...new Set(result.details.map((detail) => detail.path))];
}

const repeat = (char: string, n: number) => char.repeat(n);

describe("provider name (the Identity)", () => {
  it("accepts 1 and 64 characters", () => {
    expect(providerNameSchema.safeParse("a").success).toBe(true);
    expect(providerNameSchema.safeParse(repeat("n", 64)).success).toBe(true);
  });

  it("refuses 65 characters and the empty name", () => {
    expect(failedPaths(publicSpec({ name: repeat("n", 65) }))).toEqual(["name"]);
    expect(failedPaths(publicSpec({ name: "" }))).toEqual(["name"]);
  });

  it.each([" ", ".", "_", "-", "!", "(", ")"])("accepts the allowed character %j inside a name", (char) => {
    expect(providerNameSchema.safeParse(`Contoso${char}IM`).success).toBe(true);
  });

  it("accepts ASCII letters and digits of both cases", () => {
    expect(providerNameSchema.safeParse("AZaz09").success).toBe(true);
    expect(providerNameSchema.safeParse("Yahoo!").success).toBe(true);
    expect(providerNameSchema.safeParse("XMPP (Google Talk)").success).toBe(true);
  });

  it.each(["/", "@", "#", "é", ":", "%", "?", "\t", "\n", '"', "'", "*", "+", ",", "ü", "😀"])(
    "refuses the character %j",
    (char) => {
      expect(failedPaths(publicSpec({ name: `Contoso${char}IM` }))).toEqual(["name"]);
    },
  );

  it.each([" Contoso", "Contoso ", " ", "  Contoso  "])(
    "refuses a leading or trailing space in %j",
    (name) => {
      expect(failedPaths(publicSpec({ name }))).toEqual(["name"]);
    },
  );

  it.each([42, null, true, ["a"]])("refuses a name that is not a string: %j", (name) => {
    expect(failedPaths(publicSpec({ name }))).toEqual(["name"]);
  });
});

describe("proxyFqdn (the Access Edge FQDN)", () => {
  const label63 = repeat("a", 63);
  // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters
  const fqdn253 = `${label63}.${repeat("b", 63)}.${repeat("c", 63)}.${repeat("d", 61)}`;

  it("accepts two labels and more", () => {
    expect(proxyFqdnSchema.parse("contoso.com")).toBe("contoso.com");
    expect(proxyFqdnSchema.parse("sip.edge.eu.contoso.com")).toBe("sip.edge.eu.contoso.com");
  });

  it("refuses a single label", () => {
    expect(failedPaths(publicSpec({ proxyFqdn: "localhost" }))).toEqual(["proxyFqdn"]);
  });

  it("refuses a trailing dot", () => {
    expect(failedPaths(publicSpec({ proxyFqdn: "sip.contoso.com." }))).toEqual(["proxyFqdn"]);
  });

  it("accepts 253 characters and refuses 254", () => {
    expect(fqdn253).toHaveLength(253);
    expect(proxyFqdnSchema.safeParse(fqdn253).success).toBe(true);
    expect(failedPaths(publicSpec({ proxyFqdn: `${fqdn253.slice(0, -1)}dd` }))).toEqual(["proxyFqdn"]);
  });

  it("accepts a label of 63 characters and refuses one of 64", () => {
    expect(proxyFqdnSchema.safeParse(`${label63}.com`).success).toBe(true);
    expect(failedPaths(publicSpec({ proxyFqdn: `${label63}a.com` }))).toEqual(["proxyFqdn"]);
  });

  it("accepts a hyphen inside a label and a label starting with a digit", () => {
    expect(proxyFqdnSchema.safeParse("sip-edge.contoso-im.com").success).toBe(true);
    expect(proxyFqdnSchema.safeParse("1sip.contoso.com").success).toBe(true);
  });

  it.each(["-sip.contoso.com", "sip-.contoso.com", "sip.contoso.com-", "sip.-contoso.com"])(
    "refuses a label starting or ending with a hyphen: %j",
    (proxyFqdn) => {
      expect(failedPaths(publicSpec({ proxyFqdn }))).toEqual(["proxyFqdn"]);
    },
  );

  it.each([
    "sip..contoso.com",
    ".sip.contoso.com",
    "sip_edge.contoso.com",
    "sip contoso.com",
    "sip.contoso.com/path",
    "https://sip.contoso.com",
    "sip.contoso.com:5061",
    "sïp.contoso.com",
    "",
  ])("refuses what is not a DNS name: %j", (proxyFqdn) => {
    expect(failedPaths(publicSpec({ proxyFqdn }))).toEqual(["proxyFqdn"]);
  });

  it.each(["192.168.1.10", "10.0.0.1", "::1", "[2001:db8::1]"])("refuses an IP address: %j", (proxyFqdn) => {
    expect(failedPaths(publicSpec({ proxyFqdn }))).toEqual(["proxyFqdn"]);
  });

  it("is stored lower-case", () => {
    expect(proxyFqdnSchema.parse("SIP.Contoso.COM")).toBe("sip.contoso.com");
    const parsed = providerSpecSchema.parse(publicSpec({ proxyFqdn: "Federation.Messenger.MSN.com" }));
    expect(parsed.proxyFqdn).toBe("federation.messenger.msn.com");
  });
});

describe("kinds and hosted-only fields", () => {
  it("refuses a kind other than public or hosted, at the path kind", () => {
    expect(failedPaths(publicSpec({ kind: "federated" }))).toEqual(["kind"]);
    expect(failedPaths({ name: "X", proxyFqdn: "sip.x.com", enabled: true })).toEqual(["kind"]);
  });

  it.each([
    ["enabledSharedAddressSpace", false],
    ["enabledSharedAddressSpace", true],
    ["hostsOcsUsers", false],
    ["isLocal", false],
    ["autodiscoverUrl", "https://autodiscover.contoso.com/autodiscover"],
  ])("refuses the hosted-only field %s on a public provider, even %j, naming its path", (field, value) => {
    const result = imProviderKind.validate(publicSpec({ [field]: value }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.details).toEqual([{ path: field, message: expect.stringMatching(/hosted/) }]);
  });

  it("accepts every hosted-only field on a hosted provider", () => {
    const parsed = hostedProviderSpecSchema.parse(
      hostedSpec({
        enabledSharedAddressSpace: true,
        hostsOcsUsers: true,
        isLocal: true,
        autodiscoverUrl: "https://autodiscover.fabrikam.com/autodiscover/autodiscover.svc",
      }),
    );
    expect(parsed).toMatchObject({ enabledSharedAddressSpace: true, hostsOcsUsers: true, isLocal: true });
  });

  it("refuses an unknown field at its path", () => {
    expect(failedPaths(publicSpec({ colour: "blue" }))).toEqual(["colour"]);
    expect(failedPaths(hostedSpec({ proxyFQDN: "x.y.com" }))).toEqual(["proxyFQDN"]);
  });

  it("requires enabled, and takes only a boolean", () => {
    const { enabled: _enabled, ...withoutEnabled } = publicSpec();
    expect(imProviderKind.validate(withoutEnabled)).toEqual({
      ok: false,
      details: [{ path: "enabled", message: "is required" }],
    });
    expect(failedPaths(publicSpec({ enabled: "true" }))).toEqual(["enabled"]);
    expect(failedPaths(publicSpec({ enabled: null }))).toEqual(["enabled"]);
  });

  it("refuses a verificationLevel outside the three filtering options", () => {
    expect(failedPaths(publicSpec({ verificationLevel: "AlwaysVerified" }))).toEqual(["verificationLevel"]);
    for (const verificationLevel of ["UseSourceVerification", "AlwaysUnverifiable", "AlwaysVerifiable"]) {
      expect(failedPaths(publicSpec({ verificationLevel }))).toEqual([]);
    }
  });
});

describe("defaults", () => {
  it("fills verificationLevel with UseSourceVerification on both kinds", () => {
    expect(providerSpecSchema.parse(publicSpec()).verificationLevel).toBe("UseSourceVerification");
    expect(providerSpecSchema.parse(hostedSpec()).verificationLevel).toBe("UseSourceVerification");
  });

  it("fills the hosted flags with false and sipClientPort with 443, and leaves autodiscoverUrl absent", () => {
    const parsed = providerSpecSchema.parse(hostedSpec());
    expect(parsed).toEqual({
      name: "Fabrikam Hosted",
      kind: "hosted",
      proxyFqdn: "proxy.fabrikam.com",
      enabled: true,
      verificationLevel: "UseSourceVerification",
      enabledSharedAddressSpace: false,
      hostsOcsUsers: false,
      isLocal: false,
      sipClientPort: 443,
    });
    expect("autodiscoverUrl" in parsed && parsed.autodiscoverUrl !== undefined).toBe(false);
  });

  it("gives a public provider none of the hosted-only fields", () => {
    expect(providerSpecSchema.parse(publicSpec())).toEqual({
      name: "Contoso IM",
      kind: "public",
      proxyFqdn: "sip.contoso.com",
      enabled: true,
      verificationLevel: "UseSourceVerification",
    });
  });

  it("fills the federation defaults: only remote user access on", () => {
    const expected = {
      enabled: false,
      partnerDiscovery: false,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: false,
    };
    expect(federationSettingsSchema.parse({})).toEqual(expected);
    expect(DEFAULT_FEDERATION_SETTINGS).toEqual(expected);
  });

  it("refuses unknown federation fields and non-booleans at their paths", () => {
    const unknown = federationKind.validate({ enabled: true, allowFederatedUsers: true });
    expect(unknown.ok ? [] : unknown.details.map((d) => d.path)).toEqual(["allowFederatedUsers"]);
    const wrongType = federationKind.validate({ remoteUserAccess: "yes" });
    expect(wrongType.ok ? [] : wrongType.details.map((d) => d.path)).toEqual(["remoteUserAccess"]);
  });
});

describe("autodiscoverUrl", () => {
  it("accepts an https URL", () => {
    expect(failedPaths(hostedSpec({ autodiscoverUrl: "https://autodiscover.fabrikam.com/x" }))).toEqual([]);
  });

  it.each([
    "http://autodiscover.fabrikam.com/x",
    "ftp://autodiscover.fabrikam.com/x",
    "autodiscover.fabrikam.com",
    "not a url",
    "",
  ])("refuses %j", (autodiscoverUrl) => {
    expect(failedPaths(hostedSpec({ autodiscoverUrl }))).toEqual(["autodiscoverUrl"]);
  });

  it("accepts 2048 characters and refuses 2049", () => {
    const prefix = "https://autodiscover.fabrikam.com/";
    const url2048 = prefix + repeat("a", 2048 - prefix.length);
    expect(url2048).toHaveLength(2048);
    expect(failedPaths(hostedSpec({ autodiscoverUrl: url2048 }))).toEqual([]);
    expect(failedPaths(hostedSpec({ autodiscoverUrl: `${url2048}a` }))).toEqual(["autodiscoverUrl"]);
  });

  it("accepts null as absent", () => {
    const parsed = hostedProviderSpecSchema.parse(hostedSpec({ autodiscoverUrl: null }));
    expect(parsed.autodiscoverUrl).toBeUndefined();
  });
});

describe("merge patches (RFC 7396)", () => {
  const hosted: HostedProviderSpec = hostedProviderSpecSchema.parse(
    hostedSpec({
      verificationLevel: "AlwaysVerifiable",
      isLocal: true,
      autodiscoverUrl: "https://autodiscover.fabrikam.com/x",
    }),
  );

  it("replaces the fields a patch names and keeps the others", () => {
    const merged = providerSpecSchema.parse(mergeProviderPatch(hosted, { enabled: false }));
    expect(merged).toEqual({ ...hosted, enabled: false });
  });

  it("restores a field's default on null", () => {
    const merged = providerSpecSchema.parse(
      mergeProviderPatch(hosted, { verificationLevel: null, isLocal: null }),
    );
    expect(merged).toMatchObject({ verificationLevel: "UseSourceVerification", isLocal: false });
  });

  it("clears autodiscoverUrl on null", () => {
    const merged = providerSpecSchema.parse(mergeProviderPatch(hosted, { autodiscoverUrl: null }));
    expect(merged.kind === "hosted" ? merged.autodiscoverUrl : "wrong kind").toBeUndefined();
  });

  it("leaves a required field missing on null, which validation then refuses at its path", () => {
    expect(failedPaths(mergeProviderPatch(hosted, { enabled: null }))).toEqual(["enabled"]);
  });

  it("does not change the current settings", () => {
    const before = structuredClone(hosted);
    mergeProviderPatch(hosted, { enabled: false, isLocal: null });
    expect(hosted).toEqual(before);
  });

  it("restores a federation setting's default on null and replaces the others", () => {
    const current = federationSettingsSchema.parse({
      enabled: true,
      remoteUserAccess: false,
      partnerDiscovery: true,
    });
    const merged = federationSettingsSchema.parse(
      mergeFederationPatch(current, {
        remoteUserAccess: null,
        partnerDiscovery: null,
        anonymousUserAccess: true,
      }),
    );
    expect(merged).toEqual({
      enabled: true,
      partnerDiscovery: false,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: true,
    });
  });
});

describe("fields that cannot change in place", () => {
  const publicProvider: PublicProviderSpec = publicProviderSpecSchema.parse(publicSpec());
  const hostedProvider: HostedProviderSpec = hostedProviderSpecSchema.parse(hostedSpec());

  it("lists every field of a public provider but enabled and verificationLevel", () => {
    expect([...REPLACE_ON_CHANGE_FIELDS.public].sort()).toEqual(
      [
        "name",
        "kind",
        "proxyFqdn",
        "enabledSharedAddressSpace",
        "hostsOcsUsers",
        "isLocal",
        "autodiscoverUrl",
        "sipClientPort",
      ].sort(),
    );
  });

  it("lists name, kind and proxyFqdn for a hosted provider", () => {
    expect([...REPLACE_ON_CHANGE_FIELDS.hosted].sort()).toEqual(["kind", "name", "proxyFqdn"]);
  });

  it("lets a public provider change enabled and verificationLevel in place", () => {
    const next: ProviderSpec = { ...publicProvider, enabled: false, verificationLevel: "AlwaysUnverifiable" };
    expect(fieldsThatCannotChange(publicProvider, next)).toEqual([]);
  });

  it("names proxyFqdn and name when a public provider's change them", () => {
    expect(
      fieldsThatCannotChange(publicProvider, { ...publicProvider, proxyFqdn: "sip2.contoso.com" }),
    ).toEqual(["proxyFqdn"]);
    expect(fieldsThatCannotChange(publicProvider, { ...publicProvider, name: "Contoso IM 2" })).toEqual([
      "name",
    ]);
  });

  it("compares names and FQDNs case-insensitively", () => {
    expect(
      fieldsThatCannotChange(publicProvider, {
        ...publicProvider,
        name: "CONTOSO im",
        proxyFqdn: "SIP.Contoso.com",
      }),
    ).toEqual([]);
    expect(
      fieldsThatCannotChange(hostedProvider, {
        ...hostedProvider,
        name: "fabrikam HOSTED",
        proxyFqdn: "PROXY.fabrikam.com",
      }),
    ).toEqual([]);
  });

  it("names kind when the kind changes", () => {
    const asHosted: ProviderSpec = hostedProviderSpecSchema.parse({ ...publicProvider, kind: "hosted" });
    expect(fieldsThatCannotChange(publicProvider, asHosted)).toContain("kind");
    const asPublic: ProviderSpec = publicProviderSpecSchema.parse({
      name: hostedProvider.name,
      kind: "public",
      proxyFqdn: hostedProvider.proxyFqdn,
      enabled: true,
    });
    expect(fieldsThatCannotChange(hostedProvider, asPublic)).toContain("kind");
  });

  it("lets a hosted provider change everything but name, kind and proxyFqdn in place", () => {
    const next: ProviderSpec = {
      ...hostedProvider,
      enabled: false,
      verificationLevel: "AlwaysVerifiable",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: true,
      isLocal: true,
      autodiscoverUrl: "https://autodiscover.fabrikam.com/x",
    };
    expect(fieldsThatCannotChange(hostedProvider, next)).toEqual([]);
    expect(
      fieldsThatCannotChange(hostedProvider, {
        ...next,
        name: "Other",
        proxyFqdn: "other.fabrikam.com",
      }).sort(),
    ).toEqual(["name", "proxyFqdn"]);
  });
});

describe("built-in providers", () => {
  it("are three public providers, not enabled, with the default filtering option", () => {
    expect(BUILT_IN_PROVIDERS).toEqual([
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

  it("are valid providers by the schema", () => {
    for (const builtIn of BUILT_IN_PROVIDERS) expect(providerSpecSchema.parse(builtIn)).toEqual(builtIn);
  });

  it("are found by name case-insensitively", () => {
    expect(tryFindBuiltInProvider("yahoo!")?.name).toBe("Yahoo!");
    expect(tryFindBuiltInProvider("msn")?.proxyFqdn).toBe("federation.messenger.msn.com");
    expect(tryFindBuiltInProvider("Contoso")).toBeUndefined();
  });

  it("are told apart from a provider that only shares the name", () => {
    expect(isBuiltInProvider({ name: "AOL", kind: "public", proxyFqdn: "SIP.oscar.aol.com" })).toBe(true);
    expect(isBuiltInProvider({ name: "AOL", kind: "public", proxyFqdn: "sip.aol.example.com" })).toBe(false);
    expect(isBuiltInProvider({ name: "AOL", kind: "hosted", proxyFqdn: "sip.oscar.aol.com" })).toBe(false);
  });
});

describe("validation details", () => {
  it("lists every failure with its property path", () => {
    const result = imProviderKind.validate({
      name: " bad/name",
      kind: "public",
      proxyFqdn: "nodots",
      enabled: "yes",
      verificationLevel: "Sometimes",
      isLocal: false,
      surprise: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...new Set(result.details.map((d) => d.path))].sort()).toEqual(
      ["enabled", "isLocal", "name", "proxyFqdn", "surprise", "verificationLevel"].sort(),
    );
    for (const detail of result.details) expect(detail.message.length).toBeGreaterThan(0);
  });

  it("says a missing field is required", () => {
    const result = imProviderKind.validate({ kind: "hosted", enabled: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.details).toEqual(
      expect.arrayContaining([
        { path: "name", message: "is required" },
        { path: "proxyFqdn", message: "is required" },
      ]),
    );
  });

  it("returns the parsed value when valid", () => {
    expect(imProviderKind.validate(publicSpec({ proxyFqdn: "SIP.CONTOSO.COM" }))).toEqual({
      ok: true,
      value: { ...providerSpecSchema.parse(publicSpec()), proxyFqdn: "sip.contoso.com" },
    });
  });
});
