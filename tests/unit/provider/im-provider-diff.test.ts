import { imProviderKind } from "../../../core";
import { checkInputs, diffInputs } from "../../../provider";
import { UNKNOWN } from "../../../provider/results";

// The state is what the store returned; the new inputs are what check returned.
const publicState = {
  name: "Contoso",
  kind: "public",
  proxyFqdn: "sip.contoso.example",
  enabled: true,
  verificationLevel: "UseSourceVerification",
  builtIn: false,
  revision: 7,
  updatedBy: "admin",
  updatedVia: "pulumi",
  updateReason: null,
};
const hostedState = {
  ...publicState,
  name: "Fabrikam",
  kind: "hosted",
  proxyFqdn: "sip.fabrikam.example",
  enabledSharedAddressSpace: false,
  hostsOcsUsers: false,
  isLocal: false,
  autodiscoverUrl: null,
};

function specOf(state: Record<string, unknown>): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const field of [
    "name",
    "kind",
    "proxyFqdn",
    "enabled",
    "verificationLevel",
    "enabledSharedAddressSpace",
    "hostsOcsUsers",
    "isLocal",
    "autodiscoverUrl",
  ]) {
    if (state[field] !== undefined && state[field] !== null) spec[field] = state[field];
  }
  return spec;
}

function diffWith(state: Record<string, unknown>, change: Record<string, unknown>) {
  const { inputs, failures } = checkInputs(imProviderKind, { ...specOf(state), ...change });
  expect(failures).toEqual([]);
  return diffInputs(imProviderKind, state, inputs);
}

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };
const IN_PLACE = { changes: true, replaces: [], deleteBeforeReplace: false };

describe("diff of a public provider", () => {
  it("finds no change when nothing changed", () => {
    expect(diffWith(publicState, {})).toEqual(NO_CHANGE);
  });
  it("finds no change when the name or proxyFqdn differ only in case", () => {
    expect(diffWith(publicState, { name: "CONTOSO", proxyFqdn: "SIP.contoso.example" })).toEqual(NO_CHANGE);
  });
  it("finds no change when a default is left out", () => {
    const { verificationLevel: _level, ...rest } = specOf(publicState);
    expect(diffInputs(imProviderKind, publicState, rest)).toEqual(NO_CHANGE);
  });
  it("changes enabled in place", () => {
    expect(diffWith(publicState, { enabled: false })).toEqual(IN_PLACE);
  });
  it("changes verificationLevel in place", () => {
    expect(diffWith(publicState, { verificationLevel: "AlwaysUnverifiable" })).toEqual(IN_PLACE);
  });
  it("replaces on a new proxyFqdn, deleting first because the name stays", () => {
    expect(diffWith(publicState, { proxyFqdn: "sip2.contoso.example" })).toEqual({
      changes: true,
      replaces: ["proxyFqdn"],
      deleteBeforeReplace: true,
    });
  });
  it("replaces on a new name, deleting first because the proxyFqdn stays", () => {
    expect(diffWith(publicState, { name: "Contoso 2" })).toEqual({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: true,
    });
  });
  it("replaces on a new name and proxyFqdn side by side (create before delete)", () => {
    expect(diffWith(publicState, { name: "Contoso 2", proxyFqdn: "sip2.contoso.example" })).toEqual({
      changes: true,
      replaces: ["name", "proxyFqdn"],
      deleteBeforeReplace: false,
    });
  });
  it("replaces on a change of kind, with the hosted-only settings it brings", () => {
    const result = diffWith(publicState, { kind: "hosted" });
    expect(result.replaces).toEqual([
      "kind",
      "enabledSharedAddressSpace",
      "hostsOcsUsers",
      "isLocal",
      "sipClientPort",
    ]);
    expect(result.deleteBeforeReplace).toBe(true);
  });
  it("replaces when a value is unknown in a field that cannot change in place", () => {
    expect(diffInputs(imProviderKind, publicState, { ...specOf(publicState), proxyFqdn: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["proxyFqdn"],
      deleteBeforeReplace: true,
    });
  });
  it("ignores adopt, which only matters to create", () => {
    expect(diffWith(publicState, { adopt: true })).toEqual(NO_CHANGE);
  });
});

describe("diff of a hosted provider", () => {
  it("finds no change when nothing changed (an absent autodiscover URL is null in the state)", () => {
    expect(diffWith(hostedState, {})).toEqual(NO_CHANGE);
  });
  it.each([
    ["enabled", false],
    ["verificationLevel", "AlwaysVerifiable"],
    ["enabledSharedAddressSpace", true],
    ["hostsOcsUsers", true],
    ["isLocal", true],
    ["autodiscoverUrl", "https://autodiscover.fabrikam.example/"],
  ])("changes %s in place", (field, value) => {
    expect(diffWith(hostedState, { [field]: value })).toEqual(IN_PLACE);
  });
  it("changes in place when the autodiscover URL is removed", () => {
    const state = { ...hostedState, autodiscoverUrl: "https://autodiscover.fabrikam.example/" };
    const { autodiscoverUrl: _url, ...spec } = specOf(state);
    expect(diffInputs(imProviderKind, state, checkInputs(imProviderKind, spec).inputs)).toEqual(IN_PLACE);
  });
  it.each([
    ["name", "Fabrikam 2"],
    ["proxyFqdn", "sip2.fabrikam.example"],
  ])("replaces on a new %s, deleting first", (field, value) => {
    expect(diffWith(hostedState, { [field]: value })).toEqual({
      changes: true,
      replaces: [field],
      deleteBeforeReplace: true,
    });
  });
  it("replaces on a change of kind to public", () => {
    const {
      enabledSharedAddressSpace: _a,
      hostsOcsUsers: _b,
      isLocal: _c,
      autodiscoverUrl: _d,
      ...spec
    } = specOf(hostedState);
    const result = diffInputs(
      imProviderKind,
      hostedState,
      checkInputs(imProviderKind, { ...spec, kind: "public" }).inputs,
    );
    expect(result.replaces).toEqual(["kind"]);
    expect(result.deleteBeforeReplace).toBe(true);
  });
});
