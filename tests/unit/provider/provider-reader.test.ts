import type { StoreClient } from "../../../client";
import type { ProviderRecord } from "../../../core";
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

function countingClient(records: ProviderRecord[]) {
  const calls = { list: 0, get: 0 };
  const client = {
    listProviders: async () => {
      calls.list++;
      return records;
    },
    tryGetProvider: async (name: string) => {
      calls.get++;
      return records.find((r) => r.name.toLowerCase() === name.toLowerCase());
    },
  } as unknown as StoreClient;
  return { client, calls };
}

describe("ProviderReader", () => {
  it("coalesces concurrent reads into one list request", async () => {
    const records = Array.from({ length: 100 }, (_, index) => record(`P${index}`));
    const { client, calls } = countingClient(records);
    const reader = new ProviderReader(() => client);
    const results = await Promise.all([
      ...records.map((r) => reader.read(r.name.toUpperCase())),
      reader.read("Missing"),
    ]);
    expect(calls).toEqual({ list: 1, get: 0 });
    expect(results.slice(0, 100).map((r) => r?.name)).toEqual(records.map((r) => r.name));
    expect(results[100]).toBeUndefined();
  });

  it("reads a lone provider with one GET", async () => {
    const { client, calls } = countingClient([record("Solo")]);
    expect((await new ProviderReader(() => client).read("solo"))?.name).toBe("Solo");
    expect(calls).toEqual({ list: 0, get: 1 });
  });

  it("fails every read of a batch when the list request fails", async () => {
    const failing = {
      listProviders: async () => Promise.reject(new Error("store down")),
    } as unknown as StoreClient;
    const reader = new ProviderReader(() => failing);
    await expect(Promise.all([reader.read("a"), reader.read("b")])).rejects.toThrow("store down");
  });
});
