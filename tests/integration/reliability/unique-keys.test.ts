import { api, providerPath } from "../../helpers/api";
import type { Backend } from "../../helpers/backend";
import { BACKENDS, startBackendStore } from "../../helpers/backend";
import type { StoreProcess } from "../../helpers/store-process";
import { readAuditSince, report } from "./reliability-helpers";

/**
 * Identity and unique keys under concurrency: creates that race for one Access Edge (under
 * different names), or for one name (spelled in two cases), through one store process and
 * through two on one database. Exactly one of each race wins (201) and the other is refused
 * (409 for the Access Edge, 412 for a create-only name); the store ends with one object per key
 * and one audit entry per winner.
 */

const RACES = 16;
// A bound on a hung store, not a pace.
const TEST_TIMEOUT_MS = 300_000;

interface Scenario {
  readonly title: string;
  readonly backend: Backend;
  readonly processes: number;
}

const ALL_SCENARIOS: readonly Scenario[] = [
  { title: "SQLite, one store process", backend: "sqlite", processes: 1 },
  { title: "SQLite, two store processes on one file", backend: "sqlite", processes: 2 },
  { title: "PostgreSQL, one store process", backend: "postgres", processes: 1 },
  { title: "PostgreSQL, two store processes on one database", backend: "postgres", processes: 2 },
];
const SCENARIOS = ALL_SCENARIOS.filter((scenario) => BACKENDS.includes(scenario.backend));

describe.each(SCENARIOS)("racing creates: $title", ({ title, backend, processes }) => {
  const stores: StoreProcess[] = [];
  let token = "";

  beforeAll(async () => {
    const first = await startBackendStore({ backend });
    stores.push(first);
    token = first.adminToken;
    while (stores.length < processes)
      stores.push(await startBackendStore({ backend, db: first.db, adminToken: token }));
  });

  afterAll(async () => {
    for (const store of stores.reverse()) await store.stop();
  });

  // The store of the nth request: every race goes through both processes when there are two.
  const via = (n: number) => stores[n % stores.length] as StoreProcess;

  it(
    `lets exactly one of two creates of different names with the same proxyFqdn win, ${RACES} races at once`,
    async () => {
      const first = stores[0] as StoreProcess;
      const mark = (await readAuditSince(first, token, 0)).at(-1)?.seq ?? 0;
      const races = Array.from({ length: RACES }, (_, race) =>
        Promise.all(
          ["A", "B"].map((side, n) =>
            api(via(race + n), "PUT", providerPath(`Edge Race ${race} ${side}`), {
              token,
              body: {
                kind: side === "A" ? "public" : "hosted",
                proxyFqdn: `edge${race}.race.example`,
                enabled: true,
              },
            }),
          ),
        ),
      );
      const answers = await Promise.all(races);

      const providers = (await api(first, "GET", "/v1/providers", { token })).body.items as {
        name: string;
        proxyFqdn: string;
      }[];
      for (const [race, pair] of answers.entries()) {
        expect(pair.map((answer) => answer.status).sort()).toEqual([201, 409]);
        const refused = pair.find((answer) => answer.status === 409);
        expect(refused?.body.error.code).toBe("conflict");
        const holders = providers.filter((provider) => provider.proxyFqdn === `edge${race}.race.example`);
        expect(holders.map((provider) => provider.name)).toEqual([
          pair.find((answer) => answer.status === 201)?.body.name,
        ]);
      }
      const creates = (await readAuditSince(first, token, mark)).filter((entry) => entry.action === "create");
      expect(creates).toHaveLength(RACES);
      report(`unique keys, ${title}`, { races: RACES, processes: stores.length });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `lets exactly one of two create-only PUTs of one name in two cases win, ${RACES} races at once`,
    async () => {
      const first = stores[0] as StoreProcess;
      const races = Array.from({ length: RACES }, (_, race) =>
        Promise.all(
          [`Name Race ${race}`, `NAME RACE ${race}`].map((name, n) =>
            api(via(race + n), "PUT", providerPath(name), {
              token,
              headers: { "if-none-match": "*" },
              body: { kind: "public", proxyFqdn: `name${race}-${n}.race.example`, enabled: true },
            }),
          ),
        ),
      );
      const answers = await Promise.all(races);
      const names = (
        (await api(first, "GET", "/v1/providers", { token })).body.items as { name: string }[]
      ).map((provider) => provider.name);
      for (const [race, pair] of answers.entries()) {
        expect(pair.map((answer) => answer.status).sort()).toEqual([201, 412]);
        const won = pair.find((answer) => answer.status === 201)?.body.name;
        expect(names.filter((name) => name.toLowerCase() === `name race ${race}`)).toEqual([won]);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
