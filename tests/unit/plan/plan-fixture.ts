import { federationKind, imProviderKind } from "../../../core";
import { assemblePlan } from "../../../cli/plan/compute-plan";
import type { Plan } from "../../../cli/plan/plan-model";
import type { DeclaredResource } from "../../../cli/plan/program-runner";

type Bag = Record<string, unknown>;

const CREATED = "2026-11-30T09:00:00.000Z";

// An object as the store answers it, last written by `via` (`by`, `at`, `reason`).
function stored(
  spec: Bag,
  write: { via: string; by?: string; at?: string; reason?: string; revision: number },
): Bag {
  const kind = "name" in spec ? imProviderKind : federationKind;
  const filled = kind.parse(spec) as Bag;
  return {
    ...filled,
    ...("name" in spec ? { builtIn: imProviderKind.isBuiltIn(filled), createdAt: CREATED } : {}),
    revision: write.revision,
    updatedAt: write.at ?? CREATED,
    updatedBy: write.by ?? (write.via === "pulumi" ? "gitops" : "system"),
    updatedVia: write.via,
    updateReason: write.reason ?? null,
  };
}

function provider(name: string, inputs: Bag): DeclaredResource {
  return { type: imProviderKind.typeToken, name, inputs };
}

/**
 * A plan that shows every kind of line a reader meets: a create, an in-place update drifted
 * by an operator's block, a replace (an Access Edge moved), a built-in's adoption, a delete of
 * an object the program dropped, an object left alone, a create that would fail, and the
 * policies' violations. The store is a Lync topology mid-incident.
 */
export function fixturePlan(): Plan {
  const live = new Map<string, Bag[]>([
    [
      imProviderKind.name,
      [
        stored(
          { name: "MSN", kind: "public", proxyFqdn: "federation.messenger.msn.com", enabled: false },
          { via: "api", revision: 1 },
        ),
        stored(
          {
            name: "Yahoo!",
            kind: "public",
            proxyFqdn: "sip.yahoo.com",
            enabled: false,
            verificationLevel: "AlwaysUnverifiable",
          },
          {
            via: "control-panel",
            by: "ops-oncall",
            at: "2026-12-01T02:47:13.000Z",
            reason: "spam wave from Yahoo! users, INC-4711",
            revision: 41,
          },
        ),
        stored(
          { name: "AOL", kind: "public", proxyFqdn: "sip.oscar.aol.com", enabled: false },
          { via: "api", revision: 2 },
        ),
        stored(
          { name: "Contoso Partner", kind: "public", proxyFqdn: "sip.contoso-old.example", enabled: true },
          { via: "pulumi", at: "2026-11-30T10:00:00.000Z", revision: 12 },
        ),
        stored(
          { name: "Litware", kind: "public", proxyFqdn: "sip.litware.example", enabled: true },
          { via: "pulumi", at: "2026-11-30T10:00:00.000Z", revision: 13 },
        ),
        stored(
          { name: "Northwind IM", kind: "public", proxyFqdn: "sip.northwind.example", enabled: true },
          { via: "cli", by: "alice", revision: 20 },
        ),
      ],
    ],
    [
      federationKind.name,
      [stored({ enabled: true }, { via: "pulumi", at: "2026-11-30T10:00:00.000Z", revision: 11 })],
    ],
  ]);
  const declared: DeclaredResource[] = [
    { type: federationKind.typeToken, name: "federation", inputs: { enabled: true } },
    provider("yahoo", {
      name: "Yahoo!",
      kind: "public",
      proxyFqdn: "sip.yahoo.com",
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
    }),
    provider("msn", {
      name: "MSN",
      kind: "public",
      proxyFqdn: "federation.messenger.msn.com",
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    }),
    provider("contoso", {
      name: "Contoso Partner",
      kind: "public",
      proxyFqdn: "sip.contoso.example",
      enabled: true,
    }),
    provider("fabrikam", {
      name: "Fabrikam Hosted IM",
      kind: "hosted",
      proxyFqdn: "sip.fabrikam.example",
      enabled: true,
      enabledSharedAddressSpace: true,
      hostsOcsUsers: true,
    }),
    provider("northwind", {
      name: "Northwind IM",
      kind: "public",
      proxyFqdn: "sip.northwind.example",
      enabled: true,
    }),
  ];
  return assemblePlan({
    program: { dir: "/src/federation", project: "contoso-federation", stack: "production" },
    store: "https://imfed.contoso.example",
    declared,
    live,
    policyConfig: {
      allowedPartnerDomains: ["yahoo.com", "contoso.example", "fabrikam.example", "northwind.example"],
    },
  });
}
