import { imProviderKind } from "../../../core";
import { checkInputs } from "../../../provider";
import { UNKNOWN } from "../../../provider/results";

const publicProvider = { name: "Contoso", kind: "public", proxyFqdn: "sip.contoso.example", enabled: true };
const hostedProvider = {
  name: "Fabrikam",
  kind: "hosted",
  proxyFqdn: "sip.fabrikam.example",
  enabled: false,
};

// The distinct property paths of the failures (one value may break several rules of a field).
function propertiesOf(news: Record<string, unknown>): string[] {
  return [...new Set(checkInputs(imProviderKind, news).failures.map((failure) => failure.property))];
}

describe("check of an ImProvider", () => {
  it("fills the defaults of a public provider and adds no hosted-only field", () => {
    expect(checkInputs(imProviderKind, publicProvider)).toEqual({
      inputs: { ...publicProvider, verificationLevel: "UseSourceVerification" },
      failures: [],
    });
  });

  it("fills the defaults of a hosted provider", () => {
    expect(checkInputs(imProviderKind, hostedProvider).inputs).toEqual({
      ...hostedProvider,
      verificationLevel: "UseSourceVerification",
      enabledSharedAddressSpace: false,
      hostsOcsUsers: false,
      isLocal: false,
      sipClientPort: 443,
    });
  });

  describe("name", () => {
    it.each(["MSN", "Yahoo!", "Windows Live (MSN)", "a.b_c-d", "x".repeat(64)])("accepts %j", (name) => {
      expect(propertiesOf({ ...publicProvider, name })).toEqual([]);
    });
    it.each(["", " Leading", "Trailing ", "Bad/Name", "Ünicode", "x".repeat(65), 42])(
      "refuses %j",
      (name) => {
        expect(propertiesOf({ ...publicProvider, name })).toEqual(["name"]);
      },
    );
    it("is required", () => {
      const { name: _name, ...rest } = publicProvider;
      expect(checkInputs(imProviderKind, rest).failures).toEqual([
        { property: "name", reason: "is required" },
      ]);
    });
  });

  describe("kind", () => {
    it("refuses anything but public and hosted", () => {
      expect(propertiesOf({ ...publicProvider, kind: "federated" })).toEqual(["kind"]);
    });
    it("is required", () => {
      const { kind: _kind, ...rest } = publicProvider;
      expect(propertiesOf(rest)).toEqual(["kind"]);
    });
  });

  describe("proxyFqdn", () => {
    it("is lower-cased, so a value that differs only in case never diffs", () => {
      expect(
        checkInputs(imProviderKind, { ...publicProvider, proxyFqdn: "SIP.Contoso.EXAMPLE" }).inputs.proxyFqdn,
      ).toBe("sip.contoso.example");
    });
    it.each([
      "localhost",
      "sip.example.com.",
      "-sip.example.com",
      "sip..example.com",
      "10.0.0.1",
      `${"a".repeat(64)}.example`,
      `${"a.".repeat(127)}com`,
      true,
    ])("refuses %j", (proxyFqdn) => {
      expect(propertiesOf({ ...publicProvider, proxyFqdn })).toEqual(["proxyFqdn"]);
    });
  });

  describe("enabled", () => {
    it("must be a boolean", () => {
      expect(propertiesOf({ ...publicProvider, enabled: "true" })).toEqual(["enabled"]);
    });
    it("is required", () => {
      const { enabled: _enabled, ...rest } = publicProvider;
      expect(checkInputs(imProviderKind, rest).failures).toEqual([
        { property: "enabled", reason: "is required" },
      ]);
    });
  });

  describe("verificationLevel", () => {
    it.each(["UseSourceVerification", "AlwaysUnverifiable", "AlwaysVerifiable"])(
      "accepts %s",
      (verificationLevel) => {
        expect(
          checkInputs(imProviderKind, { ...publicProvider, verificationLevel }).inputs.verificationLevel,
        ).toBe(verificationLevel);
      },
    );
    it("refuses an unknown level", () => {
      expect(propertiesOf({ ...publicProvider, verificationLevel: "alwaysverifiable" })).toEqual([
        "verificationLevel",
      ]);
    });
  });

  describe.each(["enabledSharedAddressSpace", "hostsOcsUsers", "isLocal"])("%s", (flag) => {
    it("is kept on a hosted provider", () => {
      expect(checkInputs(imProviderKind, { ...hostedProvider, [flag]: true }).inputs[flag]).toBe(true);
    });
    it("must be a boolean", () => {
      expect(propertiesOf({ ...hostedProvider, [flag]: "yes" })).toEqual([flag]);
    });
    it("is refused on a public provider, even false, naming it a hosted-only setting", () => {
      const { failures } = checkInputs(imProviderKind, { ...publicProvider, [flag]: false });
      expect(failures).toEqual([{ property: flag, reason: expect.stringContaining("hosted-only") }]);
    });
  });

  describe("autodiscoverUrl", () => {
    it("accepts an https URL on a hosted provider", () => {
      const autodiscoverUrl = "https://autodiscover.fabrikam.example/autodiscover";
      expect(checkInputs(imProviderKind, { ...hostedProvider, autodiscoverUrl }).inputs.autodiscoverUrl).toBe(
        autodiscoverUrl,
      );
    });
    it.each(["http://autodiscover.fabrikam.example/", "not a url", `https://a.example/${"x".repeat(2048)}`])(
      "refuses %j",
      (autodiscoverUrl) => {
        expect(propertiesOf({ ...hostedProvider, autodiscoverUrl })).toEqual(["autodiscoverUrl"]);
      },
    );
    it("is refused on a public provider", () => {
      expect(propertiesOf({ ...publicProvider, autodiscoverUrl: "https://a.example/" })).toEqual([
        "autodiscoverUrl",
      ]);
    });
  });

  describe("adopt", () => {
    it("is kept when it is a boolean", () => {
      expect(checkInputs(imProviderKind, { ...publicProvider, adopt: true }).inputs.adopt).toBe(true);
    });
    it("must be a boolean", () => {
      expect(propertiesOf({ ...publicProvider, adopt: "yes" })).toEqual(["adopt"]);
    });
  });

  it("refuses an unknown field", () => {
    expect(propertiesOf({ ...publicProvider, identity: "x" })).toEqual(["identity"]);
  });

  it("returns every failure at once, each with its path", () => {
    expect(
      propertiesOf({
        name: "Bad/",
        kind: "public",
        proxyFqdn: "x",
        enabled: 1,
        verificationLevel: "?",
        isLocal: true,
      }).sort(),
    ).toEqual(["enabled", "isLocal", "name", "proxyFqdn", "verificationLevel"]);
  });

  it("ignores the serialized provider and the read-only fields of the state", () => {
    const news = {
      ...publicProvider,
      __provider: "exports.handler = ...",
      revision: 3,
      builtIn: false,
      updatedBy: "admin",
    };
    expect(checkInputs(imProviderKind, news).failures).toEqual([]);
    expect(checkInputs(imProviderKind, news).inputs).not.toHaveProperty("revision");
  });

  it("does not judge values that are unknown during a preview, and keeps them unknown", () => {
    const { inputs, failures } = checkInputs(imProviderKind, {
      ...publicProvider,
      proxyFqdn: UNKNOWN,
      enabled: UNKNOWN,
    });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      proxyFqdn: UNKNOWN,
      enabled: UNKNOWN,
      verificationLevel: "UseSourceVerification",
    });
  });

  it("adds no hosted-only default when the kind is unknown", () => {
    const { inputs, failures } = checkInputs(imProviderKind, { ...publicProvider, kind: UNKNOWN });
    expect(failures).toEqual([]);
    expect(inputs).not.toHaveProperty("isLocal");
  });
});
