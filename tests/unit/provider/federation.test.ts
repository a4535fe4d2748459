import { federationKind } from "../../../core";
import { checkInputs, diffInputs } from "../../../provider";
import { UNKNOWN } from "../../../provider/results";

const FIELDS = [
  "enabled",
  "partnerDiscovery",
  "archivingDisclaimer",
  "remoteUserAccess",
  "anonymousUserAccess",
];
const defaults = {
  enabled: false,
  partnerDiscovery: false,
  archivingDisclaimer: false,
  remoteUserAccess: true,
  anonymousUserAccess: false,
};
const state = {
  ...defaults,
  revision: 3,
  updatedAt: "2026-01-01T00:00:00.000Z",
  updatedBy: "system",
  updatedVia: "api",
  updateReason: null,
};

describe("check of a Federation", () => {
  it("fills every default", () => {
    expect(checkInputs(federationKind, {})).toEqual({ inputs: defaults, failures: [] });
  });
  it.each(FIELDS)("refuses a %s that is not a boolean", (field) => {
    expect(checkInputs(federationKind, { [field]: "yes" }).failures).toEqual([
      { property: field, reason: "must be true or false" },
    ]);
  });
  it("refuses an unknown field", () => {
    expect(
      checkInputs(federationKind, { allowFederatedUsers: true }).failures.map((failure) => failure.property),
    ).toEqual(["allowFederatedUsers"]);
  });
  it("keeps unknown values unjudged", () => {
    expect(checkInputs(federationKind, { enabled: UNKNOWN })).toEqual({
      inputs: { ...defaults, enabled: UNKNOWN },
      failures: [],
    });
  });
});

describe("diff of a Federation", () => {
  it("finds no change when nothing changed", () => {
    expect(diffInputs(federationKind, state, checkInputs(federationKind, {}).inputs)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
  it.each(FIELDS)("changes %s in place", (field) => {
    const inputs = checkInputs(federationKind, { [field]: !defaults[field as keyof typeof defaults] }).inputs;
    expect(diffInputs(federationKind, state, inputs)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});
