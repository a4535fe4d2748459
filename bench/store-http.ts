import { StoreClient } from "../client";
import type { ResourceKind } from "../core";
import { KINDS, imProviderKind } from "../core";
import { startPostgres } from "../tests/helpers/postgres";
import type { StoreProcess } from "../tests/helpers/store-process";
import { startStore } from "../tests/helpers/store-process";
import type { Figure } from "./figure";
import { figure } from "./figure";
import type { BenchOptions } from "./options";
import { generateLoad, startBareServer } from "./processes";

/** The read path of one object of a kind (its first built-in, or a singleton's one object), or `undefined` when the kind has no object every store holds. */
function readPathOf(kind: ResourceKind): string | undefined {
  if (kind.singletonId !== undefined) return `/v1/${kind.path}`;
  const builtIn = kind.builtIns[0];
  if (builtIn === undefined) return undefined;
  return `/v1/${kind.path}/${encodeURIComponent(kind.idOf(builtIn))}`;
}

function authorization(store: StoreProcess): Record<string, string> {
  return { authorization: `Bearer ${store.adminToken}` };
}

/** Requests per second of GETs of `path` on `url`, over the rounds. */
async function readRate(url: string, path: string, headers: Record<string, string>, options: BenchOptions) {
  const result = await generateLoad({
    url,
    method: "GET",
    paths: [path],
    headers,
    connections: options.connections,
    duration: options.seconds,
  });
  return result.requestsPerSecond;
}

/**
 * The reads of every kind (KINDS): `GET` of one object with a real token on a real store
 * process ÷ a bare fastify route returning the same body, the two measured in turns.
 * Returns the figures and the store's read rate of `ImProvider` (the writes' denominator).
 */
export async function storeReads(options: BenchOptions): Promise<{ figures: Figure[]; readRate: number }> {
  const store = await startStore({ env: { IMFED_LOG_LEVEL: "info" } });
  const figures: Figure[] = [];
  let providerReadRate = Number.NaN;
  try {
    for (const kind of KINDS) {
      const path = readPathOf(kind);
      if (path === undefined) continue;
      const response = await fetch(`${store.url}${path}`, { headers: authorization(store) });
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
      const body: unknown = await response.json();
      const bare = await startBareServer(body);
      let subject = 0;
      let baseline = 0;
      try {
        // One short load of each first, so that neither pays for its warm-up in the figure.
        await readRate(bare.url, path, {}, { ...options, seconds: 1 });
        await readRate(store.url, path, authorization(store), { ...options, seconds: 1 });
        for (let round = 0; round < options.rounds; round++) {
          baseline += await readRate(bare.url, path, {}, options);
          subject += await readRate(store.url, path, authorization(store), options);
        }
      } finally {
        await bare.stop();
      }
      subject /= options.rounds;
      baseline /= options.rounds;
      if (kind.name === imProviderKind.name) providerReadRate = subject;
      figures.push(
        figure({
          key: `store.read.${kind.name}`,
          name: `GET ${path.replace(/\/[^/]+$/, kind.singletonId === undefined ? `/{${kind.identityField ?? "id"}}` : "$&")} (${kind.name}), real token, store process`,
          value: subject,
          unit: "req/s",
          baseline: { name: "bare fastify route, same body", value: baseline },
          target: { op: ">=", value: 0.8 },
        }),
      );
    }
  } finally {
    await store.stop();
  }
  return { figures, readRate: providerReadRate };
}

/** Creates `count` providers named `bench-0000`... through the client, ten at a time. */
export async function createProviders(
  client: StoreClient,
  count: number,
  prefix = "bench",
): Promise<string[]> {
  const names = Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(5, "0")}`);
  const objects = client.kind(imProviderKind);
  for (let start = 0; start < names.length; start += 10) {
    await Promise.all(
      names.slice(start, start + 10).map((name) =>
        objects.put(
          name,
          {
            name,
            kind: "public",
            proxyFqdn: `sip.${name}.example`,
            enabled: true,
            verificationLevel: "UseSourceVerification",
          },
          {},
        ),
      ),
    );
  }
  return names;
}

/** Durable PATCHes per second on a store of that database (a SQLite file, or a `postgres://` URL). */
async function writeRate(options: BenchOptions, db: string | undefined): Promise<number> {
  const store = await startStore(db === undefined ? {} : { db });
  try {
    const client = new StoreClient({ endpoint: store.url, token: store.adminToken });
    // Each connection writes its own providers, so that writes do not queue on one row.
    const names = await createProviders(client, options.connections * 4, "bench-write");
    const load = {
      url: store.url,
      method: "PATCH" as const,
      paths: names.map((name) => `/v1/${imProviderKind.path}/${encodeURIComponent(name)}`),
      // Each write changes the object (an unchanged write commits nothing, and would not be a write).
      bodies: [JSON.stringify({ enabled: false }), JSON.stringify({ enabled: true })],
      headers: { ...authorization(store), "content-type": "application/merge-patch+json" },
      connections: options.connections,
    };
    await generateLoad({ ...load, duration: 1 });
    let total = 0;
    for (let round = 0; round < options.rounds; round++)
      total += (await generateLoad({ ...load, duration: options.seconds })).requestsPerSecond;
    return total / options.rounds;
  } finally {
    await store.stop();
  }
}

/** Durable writes on SQLite and on PostgreSQL, each ÷ the store's read rate of the same run. */
export async function storeWrites(options: BenchOptions, readRate: number): Promise<Figure[]> {
  const baseline = { name: "GET /v1/providers/{name} of this run", value: readRate };
  const sqlite = await writeRate(options, undefined);
  const figures = [
    figure({
      key: "store.write.sqlite",
      name: "durable PATCH /v1/providers/{name} on SQLite (synchronous=FULL)",
      value: sqlite,
      unit: "req/s",
      baseline,
      target: { op: ">=", value: 0.1 },
    }),
  ];
  const postgres = await startPostgres();
  try {
    const value = await writeRate(options, await postgres.createDatabase("bench"));
    figures.push(
      figure({
        key: "store.write.postgres",
        name: "PATCH /v1/providers/{name} on PostgreSQL (the test cluster: fsync=off)",
        value,
        unit: "req/s",
        baseline,
      }),
    );
  } finally {
    await postgres.stop();
  }
  return figures;
}
