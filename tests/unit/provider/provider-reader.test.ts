import type { StoreClient } from "../../../client";
import type { ProviderRecord } from "../../../core";
import { federationKind, imProviderKind } from "../../../core";
import { ProviderReader } from "../../../provider";

function record(name: string): ProviderRecord {
  return {
    name,
    kind: "public",
    proxyFqdn: `sip.${name.toLowerCase()}.example`,
    enabled: true,
    verificationLevel: "UseSourceVerification",
    builtIn: false,
    createdAt: "2026-01-01T00:00:00.000Z",
    revision: 1,
    updatedAt: "2026-01-01T00:00:00.000Z",
    updatedBy: "admin",
    updatedVia: "pulumi",
    updateReason: null,
  };
}

// A client whose kind clients answer from a list of records and count their requests.
function countingClient(
  records: readonly Record<string, unknown>[],
  id: (record: Record<string, unknown>) => string,
) {
  const calls = { list: 0, get: 0, batches: [] as string[][], kinds: [] as string[] };
  const client = {
    kind: (kind: { name: string }) => {
      calls.kinds.push(kind.name);
      return {
        list: async () => {
          calls.list++;
          return records;
        },
        getMany: async (ids: readonly string[]) => {
          calls.batches.push([...ids]);
          const wanted = new Set(ids.map((one) => one.toLowerCase()));
          return records.filter((r) => wanted.has(id(r).toLowerCase()));
        },
        tryGet: async (wanted: string) => {
          calls.get++;
          return records.find((r) => id(r).toLowerCase() === wanted.toLowerCase());
        },
      };
    },
  } as unknown as StoreClient;
  return { client, calls };
}

const byName = (record: Record<string, unknown>) => String(record.name);

describe("ProviderReader", () => {
  it("coalesces concurrent reads into one batch read of just the ids asked for, never a list of every object", async () => {
    const records = Array.from({ length: 1000 }, (_, index) => record(`P${index}`));
    const { client, calls } = countingClient(records, byName);
    const reader = new ProviderReader(imProviderKind, () => client);
    const asked = records.slice(0, 10);
    const results = await Promise.all([
      ...asked.map((r) => reader.read(r.name.toUpperCase())),
      reader.read("Missing"),
    ]);
    expect(calls.list).toBe(0);
    expect(calls.get).toBe(0);
    expect(calls.batches).toEqual([[...asked.map((r) => r.name.toUpperCase()), "Missing"]]);
    expect(results.slice(0, 10).map((r) => r?.name)).toEqual(asked.map((r) => r.name));
    expect(results[10]).toBeUndefined();
  });

  it("asks a batch for each id once, however many reads name it", async () => {
    const { client, calls } = countingClient([record("Twice")], byName);
    const reader = new ProviderReader(imProviderKind, () => client);
    const [a, b] = await Promise.all([reader.read("Twice"), reader.read("Twice")]);
    expect([a?.name, b?.name]).toEqual(["Twice", "Twice"]);
    expect(calls.batches).toEqual([["Twice"]]);
  });

  it("reads a lone provider with one GET", async () => {
    const { client, calls } = countingClient([record("Solo")], byName);
    expect((await new ProviderReader(imProviderKind, () => client).read("solo"))?.name).toBe("Solo");
    expect(calls).toEqual({ list: 0, get: 1, batches: [], kinds: ["ImProvider"] });
  });

  it("fails every read of a batch when the batch read fails", async () => {
    const failing = {
      kind: () => ({ getMany: async () => Promise.reject(new Error("store down")) }),
    } as unknown as StoreClient;
    const reader = new ProviderReader(imProviderKind, () => failing);
    await expect(Promise.all([reader.read("a"), reader.read("b")])).rejects.toThrow("store down");
  });

  it("reads a singleton's one object by its id, and an id the singleton does not have as gone", async () => {
    const settings = { enabled: true, revision: 1 };
    const { client, calls } = countingClient([settings], () => "global");
    const reader = new ProviderReader(federationKind, () => client);
    const [global, other] = await Promise.all([reader.read("global"), reader.read("elsewhere")]);
    expect(global).toBe(settings);
    expect(other).toBeUndefined();
    expect(calls).toEqual({ list: 0, get: 1, batches: [], kinds: ["Federation"] });
  });
});
